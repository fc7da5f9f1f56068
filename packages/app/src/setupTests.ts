import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// CI runs on a loaded 2-core machine: tests wait for what they expect rather than for a
// wall-clock budget, so neither Jest's 5 s per test nor Testing Library's 1 s per query
// may decide a result there.
jest.setTimeout(120_000);
configure({ asyncUtilTimeout: 15_000 });
