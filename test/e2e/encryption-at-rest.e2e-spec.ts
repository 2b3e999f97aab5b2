/**
 * Encryption at rest, on the e2e stack (dev server on a SQLite file, worker and API with payload keys): after a
 * plan runs, the Temporal database holds no task title, person's name or email in plaintext, and the API's
 * codec endpoint (the Temporal UI's remote codec) turns the stored payloads back into them for ops staff only.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { KEY_ID_METADATA, payloadCodecFromEnv, payloadsFromJson, payloadsToJson } from '../../libs/codec';
import { congressWorkflowId, planWorkflowId } from '../../libs/contracts';
import { addCalendarDays, localDateOf, provincialCongress, type UnitPlanDefinition } from '../../libs/domain';
import { api, bearer, eventually } from './client';
import { E2E_PAYLOAD_ENCRYPTION } from './stack';
import { storedBytes, storedInputPayloads } from './temporal-storage';

const CONGRESS = 'dh-at-rest';
const UNIT = 'BPBM';
const SECRETS = {
  taskTitle: 'Niêm phong tài liệu mật phòng họp số 7',
  comment: 'Ghi chú nội bộ về lịch đón đoàn',
  headName: 'Trần Văn Kín',
  headEmail: 'tran.van.kin@tinhuy-bimat.example.vn',
  leadName: 'Lê Thị Riêng',
  leadEmail: 'le.thi.rieng@tinhuy-bimat.example.vn',
  agencyName: 'Văn phòng Bảo mật tỉnh',
};

const coordinator = bearer('vptu-tt1', ['coordinator']);

function secretPlan(): UnitPlanDefinition {
  return {
    unitCode: UNIT,
    unitName: 'Bộ phận bảo mật',
    unitLead: 'lt-rieng',
    people: [{ id: 'lt-rieng', name: SECRETS.leadName, email: SECRETS.leadEmail }],
    agencies: [{ code: 'VPBM', name: SECRETS.agencyName, head: 'lt-rieng' }],
    groups: [{ id: 'bm', name: 'Bảo mật tài liệu' }],
    tasks: [
      {
        id: 'BM-01',
        title: SECRETS.taskTitle,
        group: 'bm',
        phase: 'before',
        leadAgency: 'VPBM',
        due: 'T-20d',
        responsible: 'lt-rieng',
      },
      { id: 'BM-02', title: 'Kiểm tra phòng họp', group: 'bm', phase: 'before', leadAgency: 'VPBM', due: 'T-10d' },
    ],
    reminders: ['1d'],
    escalationLadder: [{ after: '0m', notify: ['assignee', 'leadAgencyHead'] }],
    approvalPolicy: { quorum: 'majority', decisionWindow: '5d', planRequiresApproval: false },
    scenarios: [],
    checkInCadence: 'none',
  };
}

const storedNow = () => storedBytes(process.env.TMINUS_E2E_TEMPORAL_DB!);
const rawHistoryPayloads = (workflowId: string) =>
  storedInputPayloads(process.env.TMINUS_E2E_TEMPORAL_ADDRESS!, workflowId);

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('encryption at rest', () => {
  const congress = provincialCongress(CONGRESS, addCalendarDays(localDateOf(Date.now(), 'Asia/Ho_Chi_Minh'), 60));
  congress.people.head = { id: 'tv-kin', name: SECRETS.headName, email: SECRETS.headEmail };

  beforeAll(async () => {
    await api()
      .post('/congresses')
      .set('Authorization', coordinator)
      .send({ congress, plans: [secretPlan()] })
      .expect(201);
    const path = `/plans/${CONGRESS}/${UNIT}`;
    await eventually(async () =>
      (await api().get(path).set('Authorization', coordinator)).status === 200 ? true : undefined,
    );
    await api()
      .post(`${path}/tasks/BM-01/progress`)
      .set('Authorization', coordinator)
      .send({ progress: 40, note: SECRETS.comment })
      .expect(200);
  });

  it('stores no title, name, email or comment in plaintext in the Temporal database', async () => {
    const stored = storedNow();
    // The file is the right one and holds this plan: its workflow ID (not secret) is there in the clear.
    expect(stored.includes(Buffer.from(planWorkflowId(CONGRESS, UNIT)))).toBe(true);
    const found = Object.entries(SECRETS).filter(([, secret]) => stored.includes(Buffer.from(secret, 'utf8')));
    expect(found).toEqual([]);
  });

  it('stores payloads encrypted under the active key id', async () => {
    const payloads = await rawHistoryPayloads(planWorkflowId(CONGRESS, UNIT));
    expect(payloads.length).toBeGreaterThan(0);
    for (const payload of payloads) {
      expect(text(payload.metadata?.encoding)).toBe('binary/encrypted');
      expect(text(payload.metadata?.[KEY_ID_METADATA])).toBe('e2e-2');
    }
  });

  it('decodes stored payloads through /codec/decode for an ops token', async () => {
    for (const workflowId of [planWorkflowId(CONGRESS, UNIT), congressWorkflowId(CONGRESS)]) {
      const payloads = await rawHistoryPayloads(workflowId);
      const response = await api()
        .post('/codec/decode')
        .set('Authorization', bearer('ops-1', ['ops']))
        .set('X-Namespace', 'default')
        .send(payloadsToJson(payloads))
        .expect(200);
      const decoded = JSON.stringify(
        payloadsFromJson(response.body).map((p) => defaultPayloadConverter.fromPayload(p)),
      );
      expect(decoded).toContain(workflowId.startsWith('plan/') ? SECRETS.taskTitle : SECRETS.headEmail);
    }
  });

  it('encodes through /codec/encode with the active key, and the result decodes', async () => {
    const plain = payloadsToJson([defaultPayloadConverter.toPayload({ note: SECRETS.comment })]);
    const ops = bearer('ops-1', ['ops']);
    const encoded = await api().post('/codec/encode').set('Authorization', ops).send(plain).expect(200);
    expect(Buffer.from(encoded.body.payloads[0].metadata[KEY_ID_METADATA], 'base64').toString()).toBe('e2e-2');
    expect(JSON.stringify(encoded.body)).not.toContain(Buffer.from(SECRETS.comment).toString('base64'));
    const decoded = await api().post('/codec/decode').set('Authorization', ops).send(encoded.body).expect(200);
    expect(decoded.body).toEqual(plain);
  });

  it('still decodes payloads written under the retired key e2e-1 (rotation)', async () => {
    const { PAYLOAD_ENCRYPTION_KEYS } = E2E_PAYLOAD_ENCRYPTION;
    const retired = payloadCodecFromEnv({ PAYLOAD_ENCRYPTION_KEYS, PAYLOAD_ENCRYPTION_ACTIVE_KEY: 'e2e-1' });
    const written = await retired.encode([defaultPayloadConverter.toPayload({ note: SECRETS.comment })]);
    expect(text(written[0].metadata?.[KEY_ID_METADATA])).toBe('e2e-1');
    const decoded = await api()
      .post('/codec/decode')
      .set('Authorization', bearer('ops-1', ['ops']))
      .send(payloadsToJson(written))
      .expect(200);
    expect(defaultPayloadConverter.fromPayload(payloadsFromJson(decoded.body)[0])).toEqual({ note: SECRETS.comment });
  });

  it('refuses the codec endpoint without a token, to other roles, and to other browser origins', async () => {
    const body = payloadsToJson(await rawHistoryPayloads(planWorkflowId(CONGRESS, UNIT)));
    await api().post('/codec/decode').send(body).expect(401);
    for (const roles of [['viewer'], ['coordinator'], ['approver']] as const) {
      await api()
        .post('/codec/decode')
        .set('Authorization', bearer('someone', [...roles]))
        .send(body)
        .expect(403);
    }
    // A unit-scoped ops token would read every unit's plans: refused too.
    await api()
      .post('/codec/decode')
      .set('Authorization', bearer('ops-2', ['ops'], [UNIT]))
      .send(body)
      .expect(403);
    const foreign = await api()
      .post('/codec/decode')
      .set('Origin', 'http://evil.example')
      .set('Authorization', bearer('ops-1', ['ops']))
      .send(body)
      .expect(403);
    expect(foreign.body.message).toContain('only the Temporal UI');
  });

  it('answers the Temporal UI origin, preflight included (CORS)', async () => {
    const preflight = await api()
      .options('/codec/decode')
      .set('Origin', 'http://localhost:8233')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,x-namespace,authorization')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:8233');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const plain = payloadsToJson([defaultPayloadConverter.toPayload('x')]);
    const r = await api()
      .post('/codec/encode')
      .set('Origin', 'http://localhost:8233')
      .set('Authorization', bearer('ops-1', ['ops']))
      .send(plain)
      .expect(200);
    expect(r.headers['access-control-allow-origin']).toBe('http://localhost:8233');
  });

  it('answers malformed bodies and undecryptable payloads with 400 naming the problem', async () => {
    const ops = bearer('ops-1', ['ops']);
    const bad = await api()
      .post('/codec/decode')
      .set('Authorization', ops)
      .send({ payloads: [{ data: '%%' }] })
      .expect(400);
    expect(bad.body.issues[0].path).toBe('payloads[0].data');
    const forged = temporal.api.common.v1.Payload.create({
      metadata: { encoding: Buffer.from('binary/encrypted'), [KEY_ID_METADATA]: Buffer.from('e2e-9') },
      data: Buffer.alloc(40),
    });
    const unknown = await api()
      .post('/codec/decode')
      .set('Authorization', ops)
      .send(payloadsToJson([forged]))
      .expect(400);
    expect(unknown.body.message).toContain(
      'payload encrypted with key "e2e-9", which is not in PAYLOAD_ENCRYPTION_KEYS',
    );
  });
});
