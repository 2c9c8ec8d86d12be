import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// Each test renders into a fresh document.
afterEach(() => cleanup());

// findBy* waits 1 s by default: on a 2-core machine busy with the other test files (or a
// benchmark), a page that takes a few renders to settle missed it now and then.
configure({ asyncUtilTimeout: 5000 });
