import { BadRequestException, Body, Controller, HttpCode, Inject, Post, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { PayloadCodec } from '@temporalio/common';
import { PayloadDecryptionError, RemoteCodecInputError, runRemoteCodec, type JsonPayload } from '../../../libs/codec';
import { ROLES_KEY } from '../auth/auth.decorators';
import type { Role } from '../auth/roles';
import { CodecAccessGuard } from './codec-access';

export const PAYLOAD_CODEC = Symbol('PAYLOAD_CODEC');

/**
 * The Temporal UI's remote codec (https://docs.temporal.io/production-deployment/data-encryption): the UI
 * sends the payloads it shows to /codec/decode, so authorized ops staff read plans that Temporal stores
 * encrypted. /codec/encode is the reverse, for payloads the UI sends (signals, queries' arguments).
 */
// Not part of tminus's own API (and not in its OpenAPI document): the Temporal UI's protocol, see README, Security.
@ApiExcludeController()
@Controller('codec')
@SetMetadata(ROLES_KEY, ['ops'] satisfies Role[])
@UseGuards(CodecAccessGuard)
export class CodecController {
  constructor(@Inject(PAYLOAD_CODEC) private readonly codec: PayloadCodec) {}

  @Post('decode')
  @HttpCode(200)
  decode(@Body() body: unknown): Promise<{ payloads: JsonPayload[] }> {
    return this.run('decode', body);
  }

  @Post('encode')
  @HttpCode(200)
  encode(@Body() body: unknown): Promise<{ payloads: JsonPayload[] }> {
    return this.run('encode', body);
  }

  private async run(direction: 'encode' | 'decode', body: unknown): Promise<{ payloads: JsonPayload[] }> {
    try {
      return await runRemoteCodec(this.codec, direction, body);
    } catch (err) {
      if (err instanceof RemoteCodecInputError) {
        throw new BadRequestException({
          code: 'INVALID_INPUT',
          message: err.message,
          issues: [{ path: err.path, message: err.message.slice(err.path.length + 2) }],
        });
      }
      if (err instanceof PayloadDecryptionError) {
        throw new BadRequestException({ code: 'UNDECRYPTABLE_PAYLOAD', message: err.message });
      }
      throw err;
    }
  }
}
