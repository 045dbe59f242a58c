import { createRequire } from 'node:module';
import type * as BullMQ from 'bullmq';
import type * as IORedis from 'ioredis';

// BullMQ and ioredis are CommonJS. Imported from an ES module, Node first scans their sources for
// named exports, and BullMQ's index re-exports every one of its modules: about 0.1 s of CPU at the
// start of each command or worker that queues, before any job is. Required, they load as they are.
const require = createRequire(import.meta.url);

export const { FlowProducer, Job, Queue, QueueEvents, UnrecoverableError, Worker } = require('bullmq') as typeof BullMQ;
export const { Redis } = require('ioredis') as typeof IORedis;
export type Redis = IORedis.Redis;
