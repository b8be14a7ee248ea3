// Runs this package's README code blocks (the shared helper in scripts/lib/readme-tests.mjs).
import { readmeTests } from '../../../scripts/lib/readme-tests.mjs';

await readmeTests(new URL('../README.md', import.meta.url));
