import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

const CONFIG_KEY = 'search.collators.traces';

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 3 },
};

export const DEFAULT_LOOKBACK_MINUTES = 60;

/** `search.collators.traces.schedule`, or the default. */
export function readScheduleConfig(
  root: Config,
): SchedulerServiceTaskScheduleDefinition {
  const config = root.getOptionalConfig(`${CONFIG_KEY}.schedule`);
  if (!config) return DEFAULT_SCHEDULE;
  try {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(config);
  } catch (error) {
    throw new InputError(
      `Invalid schedule at ${CONFIG_KEY}.schedule: ${error}`,
    );
  }
}

/** `search.collators.traces.lookbackMinutes`: 1 minute to 1 day, default 60. */
export function readLookbackMinutes(root: Config): number {
  const key = `${CONFIG_KEY}.lookbackMinutes`;
  const value = root.getOptionalNumber(key) ?? DEFAULT_LOOKBACK_MINUTES;
  if (!Number.isInteger(value) || value < 1 || value > 1440) {
    throw new InputError(`${key} must be a whole number from 1 to 1440`);
  }
  return value;
}
