/** Starts the bundled module worker `/<name>.js` and resolves with the first message it posts. */
export function runWorker(name: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(`/${name}.js`, { type: 'module' });
    worker.onmessage = (event) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => reject(new Error(event.message));
  });
}
