import { createContext } from 'react';
import type { Range } from './series';

/** The range a detail page's graphs show, for the parts below its own graphs (devices). */
export const DetailRangeContext = createContext<Range>('live');
