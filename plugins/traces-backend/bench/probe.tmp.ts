import { ConfigReader } from '@backstage/config';
import { encodeTraceByIdResponse } from '../src/__testUtils__/tempoProto';
import { Redactor } from '../src/redaction/Redactor';
import { protobufToCompact } from '../src/tempo/protobufToCompact';
import { tempoJsonOfGeneratedTrace } from './tempoJsonOfGeneratedTrace';
import { loadavg } from 'node:os';
const protobuf = encodeTraceByIdResponse(tempoJsonOfGeneratedTrace(100000));
const redactor = Redactor.fromConfig(new ConfigReader({}));
const keep: unknown[] = [];
for (let run = 0; run < 5; run++) {
  const t0 = performance.now();
  const c = protobufToCompact(protobuf, '0', redactor)!;
  const t1 = performance.now();
  if (process.argv[2] === 'keep') keep.push(c);
  console.log('run', run, (t1 - t0).toFixed(0), 'ms; heap MB', (process.memoryUsage().heapUsed / 1e6).toFixed(0), 'load', loadavg()[0].toFixed(1));
}
