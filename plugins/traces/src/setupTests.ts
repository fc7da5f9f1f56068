import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// CI runs on a loaded 2-core machine: tests wait for what they expect rather than for a
// wall-clock budget, so neither Jest's 5 s per test nor Testing Library's 1 s per query
// may decide a result there. A query that finds its element returns as soon as it does;
// only a failing one waits the whole minute. Tests name no shorter timeouts of their own.
jest.setTimeout(180_000);
configure({ asyncUtilTimeout: 60_000 });
