import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { ApiEnv } from '../../../libs/config';
import { payloadCodecFromEnv } from '../../../libs/codec';
import { API_ENV } from '../api.config';
import { CodecAccessGuard, CodecCorsMiddleware } from './codec-access';
import { CodecController, PAYLOAD_CODEC } from './codec.controller';

@Module({
  controllers: [CodecController],
  providers: [
    CodecAccessGuard,
    {
      provide: PAYLOAD_CODEC,
      inject: [API_ENV],
      useFactory: (env: ApiEnv) => payloadCodecFromEnv(env),
    },
  ],
})
export class CodecModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CodecCorsMiddleware).forRoutes({ path: 'codec/*path', method: RequestMethod.ALL });
  }
}
