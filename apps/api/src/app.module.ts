import { randomBytes } from 'node:crypto';
import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtModule } from '@nestjs/jwt';
import { EventStoreModule } from '@samverkan/event-store/event-store.module';
import { systemClock } from '@samverkan/shared/clock';
import { ApiKeyRegistry, parseApiKeys } from './auth/api-keys';
import { AuthGuard } from './auth/auth.guard';
import { PersonalDataInterceptor } from './problems/personal-data.interceptor';
import { RevealSealedInterceptor } from './problems/reveal-sealed.interceptor';
import { samverkanEnvironment } from './auth/environment';
import { Authenticator } from './auth/authenticator';
import { PartnershipBootstrap } from './auth/bootstrap';
import { LocalOidcProvider } from './auth/oidc/local-oidc.service';
import { RelyingParty } from './auth/oidc/relying-party';
import { SignInController } from './auth/sign-in.controller';
import { UserRegister } from './auth/user-register';
import { UserAdministrationController } from './agencies/user-administration.controller';
import { ClientAddresses, RateLimitGuard } from './auth/rate-limit.guard';
import { NoStoreInterceptor } from './auth/no-store.interceptor';
import { MeController } from './auth/me.controller';
import { tokenSecret } from './auth/token-secret';
import { CitizenPromiseCommandHandler } from './citizen-promise/citizen-promise.command-handler';
import { CitizenPromiseController } from './citizen-promise/citizen-promise.controller';
import { CorrelationMiddleware } from './commands/correlation.middleware';
import { IdempotencyInterceptor } from './commands/idempotency.interceptor';
import { CLOCK } from './commands/request-meta';
import { HealthModule } from './health/health.module';
import { ShutdownModule } from './health/graceful-shutdown';
import { SecurityLogController } from './health/security-log.controller';
import { ProjectionsModule } from './projections/projections.module';
import { RelayModule } from './relay/relay.module';
import {
  FindingCommandHandler,
  SafetyWalkCommandHandler,
} from './safety-walks/safety-walks.command-handler';
import { SafetyWalksController } from './safety-walks/safety-walks.controller';
import { FindingsController } from './safety-walks/findings.controller';
import { PlacesModule } from './places/places.module';
import { PlacesCommandHandler } from './places/places.command-handler';
import { PlacesController } from './places/places.controller';
import { CreditWorkHandler } from './citizen-promise/credits.command-handler';
import {
  EstCountsCommandHandler,
  EstReportersCommandHandler,
} from './situation-picture/est.command-handler';
import { EstController } from './situation-picture/est.controller';
import { FollowUpReportController } from './follow-up/follow-up-report.controller';
import { EstPictureController } from './lists/est-picture.controller';
import { FindingsListController } from './lists/findings-list.controller';
import { PreventionTalksListController } from './lists/prevention-talks-list.controller';
import { PromisesListController } from './lists/promises-list.controller';
import { SafetyWalksListController } from './lists/safety-walks-list.controller';
import { SituationReportsListController } from './lists/situation-reports-list.controller';
import { ChangesController } from './worklist/changes.controller';
import { WorklistController } from './worklist/worklist.controller';
import {
  ConfirmSituationPictureHandler,
  SituationReportCommandHandler,
} from './situation-picture/situation-picture.command-handler';
import {
  SituationPictureController,
  SituationReportsController,
} from './situation-picture/situation-picture.controller';
import { PartnershipCommandHandler } from './agencies/partnership.command-handler';
import { PartnershipController } from './agencies/partnership.controller';
import { ReadAccessLog } from './access/read-access-log';
import { PreventionTalkCommandHandler } from './prevention-talks/prevention-talks.command-handler';
import { PreventionTalksController } from './prevention-talks/prevention-talks.controller';
import { ProblemDetailsFilter } from './problems/problem-details.filter';
import { requestValidation } from './problems/validation';
import { Seeder } from './seed/seeder';
import { AuditModule } from './audit/audit.module';
import { ErasureController } from './personal-data/erasure.controller';
import { ErasePersonalDataHandler } from './personal-data/erasure.command-handler';
import { RetentionModule } from './retention/retention.module';
import { ClaimCheckController } from './personal-data/claim-check.controller';
import { LiveController } from './live/live.controller';
import { WebSettingsController } from './web/web-settings.controller';
import { LiveNotifications } from './live/live-notifications';
import { CitizenDialogueController } from './citizen-dialogue/citizen-dialogue.controller';
import { UnsafePlacesController } from './citizen-dialogue/unsafe-places.controller';
import { MetricsModule } from './observability/metrics.module';

@Module({
  imports: [
    MetricsModule,
    ShutdownModule,
    HealthModule,
    EventStoreModule,
    PlacesModule,
    ProjectionsModule,
    RelayModule,
    AuditModule,
    RetentionModule,
    CqrsModule.forRoot(),
    JwtModule.registerAsync({
      global: true,
      // Production refuses development tokens: no key to configure, none that could leak.
      useFactory: () => ({
        secret:
          samverkanEnvironment() === 'production'
            ? randomBytes(48).toString('base64url')
            : tokenSecret(),
        signOptions: { algorithm: 'HS256' },
      }),
    }),
  ],
  controllers: [
    SecurityLogController,
    MeController,
    SignInController,
    UserAdministrationController,
    CitizenPromiseController,
    PreventionTalksController,
    PartnershipController,
    SituationReportsController,
    SituationPictureController,
    SafetyWalksController,
    FindingsController,
    PlacesController,
    EstController,
    FollowUpReportController,
    PromisesListController,
    SituationReportsListController,
    SafetyWalksListController,
    FindingsListController,
    PreventionTalksListController,
    EstPictureController,
    WorklistController,
    ChangesController,
    ErasureController,
    ClaimCheckController,
    LiveController,
    WebSettingsController,
    UnsafePlacesController,
    CitizenDialogueController,
  ],
  providers: [
    { provide: CLOCK, useValue: systemClock },
    {
      provide: ApiKeyRegistry,
      useFactory: () => new ApiKeyRegistry(parseApiKeys(process.env['SAMVERKAN_API_KEYS'])),
    },
    UserRegister,
    RelyingParty,
    Authenticator,
    LiveNotifications,
    LocalOidcProvider,
    PartnershipBootstrap,
    ClientAddresses,
    { provide: APP_GUARD, useClass: AuthGuard },
    // After authentication: a caller is counted under who they are.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_PIPE, useFactory: requestValidation },
    { provide: APP_INTERCEPTOR, useClass: NoStoreInterceptor },
    // Reveals sealed personal fields of read models in what a route answers.
    { provide: APP_INTERCEPTOR, useClass: RevealSealedInterceptor },
    // Before idempotency: a refused request claims no key.
    { provide: APP_INTERCEPTOR, useClass: PersonalDataInterceptor },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
    CitizenPromiseCommandHandler,
    ErasePersonalDataHandler,
    Seeder,
    ReadAccessLog,
    PreventionTalkCommandHandler,
    PartnershipCommandHandler,
    SituationReportCommandHandler,
    ConfirmSituationPictureHandler,
    SafetyWalkCommandHandler,
    FindingCommandHandler,
    PlacesCommandHandler,
    CreditWorkHandler,
    EstReportersCommandHandler,
    EstCountsCommandHandler,
  ],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationMiddleware).forRoutes('*path');
  }
}
