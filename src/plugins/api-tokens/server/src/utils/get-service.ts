import type { AuditService } from '../audit/service';
import type { ClusterService } from '../cluster/service';
import type { DashboardsService } from '../dashboards/service';
import type { EmbedPlaygroundService } from '../embeds/playground';
import type { EmbedsService } from '../embeds/service';
import type { RunsService } from '../jobs/runs';
import type { OAuthService } from '../oauth/service';
import type { OpenApiService } from '../openapi/service';
import type { RemindersService } from '../reminders/service';
import type { ReportsService } from '../reports/service';
import type { SchedulerService } from '../jobs/scheduler';
import type { SchedulesService } from '../jobs/schedule-rows';
import type { SemanticModelsService } from '../semantic-models/service';
import type { SnapshotsService } from '../semantic-models/snapshot-store';
import type { SourcesService } from '../semantic-models/sources';
import type { ScopesService } from '../tokens/scopes';
import type { TokensService } from '../tokens/service';
import type { ChannelsService } from '../subscriptions/delivery/channels';
import type { DeliveriesService } from '../subscriptions/delivery/deliveries';
import type { SubscriptionsService } from '../subscriptions/service';

export const PLUGIN_ID = 'api-tokens';

interface Services {
  cluster: ClusterService;
  tokens: TokensService;
  scopes: ScopesService;
  audit: AuditService;
  sources: SourcesService;
  snapshots: SnapshotsService;
  'semantic-models': SemanticModelsService;
  runs: RunsService;
  schedules: SchedulesService;
  scheduler: SchedulerService;
  reports: ReportsService;
  dashboards: DashboardsService;
  channels: ChannelsService;
  deliveries: DeliveriesService;
  subscriptions: SubscriptionsService;
  embeds: EmbedsService;
  oauth: OAuthService;
  openapi: OpenApiService;
  'embed-playground': EmbedPlaygroundService;
  reminders: RemindersService;
}

export const getService = <Name extends keyof Services>(name: Name): Services[Name] =>
  strapi.plugin(PLUGIN_ID).service(name) as Services[Name];
