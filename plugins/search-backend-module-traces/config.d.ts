import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /** The traces collator (`@backstage-traces/plugin-search-backend-module-traces`). */
      traces?: {
        /**
         * When to index. Default: every 10 minutes, first 3 seconds after start, timeout 15
         * minutes. Each run asks Tempo about every traced service, so keep it minutes apart.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** How far back to look for span names, routes and rates, in minutes. Default 60. */
        lookbackMinutes?: number;
      };
    };
  };
}
