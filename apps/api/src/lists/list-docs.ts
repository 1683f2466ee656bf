import type { ApiQueryOptions } from '@nestjs/swagger';
import { MAX_PAGE_SIZE } from './paging';

/** The OpenAPI text of the parameters every list takes. */
export const LIST_QUERY_DOCS = {
  limit: {
    name: 'limit',
    required: false,
    type: Number,
    description: `Items per page, 1 to ${MAX_PAGE_SIZE} (default 25)`,
  },
  cursor: {
    name: 'cursor',
    required: false,
    type: String,
    description: 'nextCursor of the page before',
  },
  waitFor: {
    name: 'waitFor',
    required: false,
    type: Number,
    description: 'Read-your-writes: wait until this global position is applied',
  },
  from: { name: 'from', required: false, type: String, description: 'YYYY-MM-DD, inclusive' },
  to: {
    name: 'to',
    required: false,
    type: String,
    description: 'YYYY-MM-DD, inclusive; at most five years after from',
  },
  purpose: {
    name: 'purpose',
    required: false,
    type: String,
    description: 'Why you read restricted data (3 to 200 characters; each read is logged)',
  },
} satisfies Record<string, ApiQueryOptions>;
