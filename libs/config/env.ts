/**
 * Environment configuration, validated at boot with class-validator: a missing or malformed variable stops
 * the process with a message naming it. One class per process, sharing the Temporal connection settings.
 */
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { DEFAULT_TASK_QUEUE } from '../contracts/task-queue';
import { parseEncryptionKeys } from '../codec/encryption-keys';
import { LOG_FORMATS, type LogFormat } from './log-format';

const toBoolean = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Why the payload encryption settings are unusable, or undefined when they are fine (see libs/codec). */
function encryptionKeysProblem(env: TemporalEnv): string | undefined {
  if (!env.PAYLOAD_ENCRYPTION_KEYS) {
    if (env.PAYLOAD_ENCRYPTION_ACTIVE_KEY)
      return 'PAYLOAD_ENCRYPTION_ACTIVE_KEY is set but PAYLOAD_ENCRYPTION_KEYS is empty';
    // A production deployment must not silently store plans in plaintext.
    if (env.NODE_ENV === 'production') {
      return 'PAYLOAD_ENCRYPTION_KEYS is required when NODE_ENV=production (keyId:base64 of 32 bytes; see README, Security)';
    }
    return undefined;
  }
  try {
    parseEncryptionKeys(env.PAYLOAD_ENCRYPTION_KEYS, env.PAYLOAD_ENCRYPTION_ACTIVE_KEY);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function ValidEncryptionKeys() {
  return ValidateBy({
    name: 'validEncryptionKeys',
    validator: {
      validate: (_value, args) => encryptionKeysProblem(args!.object as TemporalEnv) === undefined,
      defaultMessage: (args) => encryptionKeysProblem(args!.object as TemporalEnv) ?? '',
    },
  });
}

export class TemporalEnv {
  /** host:port of the Temporal frontend. */
  @Matches(/^[A-Za-z0-9.-]+:\d{1,5}$/, { message: 'TEMPORAL_ADDRESS must be host:port, e.g. localhost:7233' })
  TEMPORAL_ADDRESS = 'localhost:7233';

  @IsString()
  @MinLength(1)
  TEMPORAL_NAMESPACE = 'default';

  @IsString()
  @MinLength(1)
  TEMPORAL_TASK_QUEUE = DEFAULT_TASK_QUEUE;

  /** Force TLS without client certificates (Temporal Cloud with an API key does this implicitly). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  TEMPORAL_TLS?: boolean;

  @Transform(emptyToUndefined)
  @ValidateIf((env: TemporalEnv) => env.TEMPORAL_TLS_KEY_PATH !== undefined || env.TEMPORAL_TLS_CERT_PATH !== undefined)
  @IsString({ message: 'TEMPORAL_TLS_CERT_PATH is required with TEMPORAL_TLS_KEY_PATH' })
  TEMPORAL_TLS_CERT_PATH?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: TemporalEnv) => env.TEMPORAL_TLS_CERT_PATH !== undefined || env.TEMPORAL_TLS_KEY_PATH !== undefined)
  @IsString({ message: 'TEMPORAL_TLS_KEY_PATH is required with TEMPORAL_TLS_CERT_PATH' })
  TEMPORAL_TLS_KEY_PATH?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  TEMPORAL_TLS_CA_PATH?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  TEMPORAL_TLS_SERVER_NAME?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(8)
  TEMPORAL_API_KEY?: string;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** `json` or `pretty`; unset: readable in a terminal, JSON when piped (see log-format.ts). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(LOG_FORMATS)
  LOG_FORMAT?: LogFormat;

  /** Payload encryption keys, `keyId:base64 of 32 bytes`, comma-separated: the active one and the retired ones. */
  @Transform(emptyToUndefined)
  @ValidEncryptionKeys()
  PAYLOAD_ENCRYPTION_KEYS?: string;

  /** The key id new payloads are encrypted with. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  PAYLOAD_ENCRYPTION_ACTIVE_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  NODE_ENV?: string;
}

export class WorkerEnv extends TemporalEnv {
  /** Where check-in, closing and summary reports and plan archives are written. */
  @IsString()
  @MinLength(1)
  REPORTS_DIR = 'data/reports';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'WEBHOOK_URL must be an http(s) URL' })
  WEBHOOK_URL?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: WorkerEnv) => env.WEBHOOK_URL !== undefined || env.WEBHOOK_SECRET !== undefined)
  @IsString()
  @MinLength(16, { message: 'WEBHOOK_SECRET must be at least 16 characters (it signs every webhook)' })
  WEBHOOK_SECRET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must start with smtp:// or smtps://' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'tminus@localhost';

  /** The place in the date line of the Word reports (địa danh), e.g. `Thái Bình`; dots when unset. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  REPORT_PLACE?: string;

  /** A prebuilt workflow bundle (production); without it the worker bundles workflows at start. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  WORKFLOW_BUNDLE_PATH?: string;

  /** Register tminus's search attributes through the operator API at start (not on Temporal Cloud). */
  @Transform(toBoolean)
  @IsBoolean()
  TEMPORAL_REGISTER_SEARCH_ATTRIBUTES = true;
}

export class ApiEnv extends TemporalEnv {
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** HS256 secret for bearer tokens; may be left out when tokens come from an identity provider (JWT_JWKS_URL). */
  @Transform(emptyToUndefined)
  @ValidateIf((env: ApiEnv) => env.JWT_JWKS_URL === undefined || env.JWT_SECRET !== undefined)
  @IsString({ message: 'JWT_SECRET is required (at least 16 characters) unless JWT_JWKS_URL is set' })
  @MinLength(16, { message: 'JWT_SECRET must be at least 16 characters' })
  JWT_SECRET?: string;

  /** An identity provider's JWKS (Keycloak: …/realms/<realm>/protocol/openid-connect/certs): RS256/ES256 tokens. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'JWT_JWKS_URL must be an http(s) URL' })
  JWT_JWKS_URL?: string;

  /** When set, a token's `iss` must equal it. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  JWT_ISSUER?: string;

  /** When set, a token's `aud` must contain it. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  JWT_AUDIENCE?: string;

  /** Longest accepted token lifetime: `exp` is required and at most this far from `iat` and from now. */
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'JWT_MAX_LIFETIME_HOURS must be a whole number of hours' })
  @Min(1)
  @Max(24 * 30)
  JWT_MAX_LIFETIME_HOURS = 24;

  /**
   * Express's `trust proxy`: off unless set (then X-Forwarded-For cannot pick the client the rate limit counts).
   * A hop count, `loopback`, or addresses/subnets of the proxies in front of the API, comma-separated.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(\d{1,2}|true|[0-9A-Za-z.:/_-]+(,\s*[0-9A-Za-z.:/_-]+)*)$/, {
    message: 'TRUST_PROXY must be a hop count, loopback, or comma-separated proxy addresses',
  })
  TRUST_PROXY?: string;

  /** Base URL of the Temporal UI, for the links the API returns. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'TEMPORAL_UI_URL must be an http(s) URL' })
  TEMPORAL_UI_URL = 'http://localhost:8233';

  /** Comma-separated allowed origins; empty: no cross-origin access. */
  @IsString()
  CORS_ORIGINS = '';

  @Matches(/^\d+(kb|mb)$/, { message: 'BODY_LIMIT must be like 512kb or 1mb' })
  BODY_LIMIT = '1mb';

  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  THROTTLE_LIMIT = 120;

  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(100)
  THROTTLE_TTL_MS = 60_000;

  /** Where the worker files its reports (the same folder as the worker's REPORTS_DIR): served for download. */
  @IsString()
  @MinLength(1)
  REPORTS_DIR = 'data/reports';

  /** Signs calendar feed links (HMAC-SHA256); default: a key derived from JWT_SECRET. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'FEED_TOKEN_SECRET must be at least 16 characters' })
  FEED_TOKEN_SECRET?: string;

  /** The ids of revoked calendar feed links, kept as JSON (share it between API instances). */
  @IsString()
  @MinLength(1)
  FEED_REVOCATIONS_FILE = 'data/feed-revocations.json';

  /** The API's public base URL for the feed links it hands out; default: the request's own host. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  /** The place in the date line of the Word reports made on request (địa danh). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  REPORT_PLACE?: string;

  /**
   * Who may call the codec endpoint (/codec/encode, /codec/decode) that lets the Temporal UI show decrypted
   * payloads: `token` (a bearer token with the ops or admin role, which the UI passes along) or `loopback`
   * (callers on this machine only, no token: the Temporal dev server's UI of `npm start` cannot pass one).
   */
  @IsIn(['token', 'loopback'], { message: 'PAYLOAD_CODEC_AUTH must be token or loopback' })
  PAYLOAD_CODEC_AUTH: 'token' | 'loopback' = 'token';
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    e.constraints ? Object.values(e.constraints).map((m) => (m.includes(e.property) ? m : `${e.property}: ${m}`)) : [],
  );
}

/** Validates `raw` (process.env) into an instance of `schema`; throws one error naming every bad variable. */
export function validateEnv<T extends object>(schema: new () => T, raw: Record<string, unknown>): T {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const instance = plainToInstance(schema, { ...new schema(), ...defined }, { enableImplicitConversion: false });
  const errors = validateSync(instance, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new Error(`Invalid configuration:\n  - ${describe(errors).join('\n  - ')}`);
  }
  return instance;
}
