import type { Calibration } from '../../core/calibration/calibrate.js';
import { UsageError } from '../cli-error.js';
import type { CliIO } from '../cli-io.js';
import type { CalibrateFlags } from './calibrate.js';

export async function runBacktest(_io: CliIO, _cal: Calibration, _flags: CalibrateFlags, _seed: number): Promise<void> {
  throw new UsageError('calibrate --backtest: not available yet');
}
