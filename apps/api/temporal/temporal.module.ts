import { Global, Module } from '@nestjs/common';
import { CongressGateway } from './congress.gateway';
import { PlanGateway } from './plan.gateway';
import { TemporalClientHolder } from './temporal-client.holder';

@Global()
@Module({
  providers: [TemporalClientHolder, PlanGateway, CongressGateway],
  exports: [TemporalClientHolder, PlanGateway, CongressGateway],
})
export class TemporalModule {}
