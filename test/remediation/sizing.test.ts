import {
  fargateTaskSize, goMemLimitMiB, heapCeilingMiB, kubernetesMiB, kubernetesQuantity, lambdaMb, neededBytes, proposedGraceSeconds,
} from '../../src/remediation/plan/sizing.js';
import { MiB } from './build.js';

describe('sizing', () => {
  test.each([
    // need MiB → rounded MiB: 64Mi steps below 1Gi, 128Mi below 4Gi, 256Mi above
    [450, 512],
    [768, 768],
    [900, 960],
    [1000, 1024],
    [1025, 1152],
    [1536, 1536],
    [4000, 4096],
    [4097, 4352],
    [4350, 4352],
    [6000, 6144],
  ])('kubernetes rounds %i MiB up to %i MiB', (need, rounded) => {
    expect(kubernetesMiB(need * MiB)).toBe(rounded);
  });

  test.each([
    [768 * MiB, '768Mi'],
    [1024 * MiB, '1Gi'],
    [1536 * MiB, '1536Mi'],
    [3 * 1024 * MiB, '3Gi'],
    [1000, '1000'],
  ])('kubernetesQuantity(%i) = %s', (bytes, text) => {
    expect(kubernetesQuantity(bytes)).toBe(text);
  });

  test('the need: peak × 1.5, or max(peak, limit) × 1.5 when the kill was at the limit', () => {
    expect(neededBytes(400 * MiB, 512 * MiB, true)).toBe(768 * MiB);
    expect(neededBytes(600 * MiB, 512 * MiB, true)).toBe(900 * MiB);
    expect(neededBytes(400 * MiB, 512 * MiB, false)).toBe(600 * MiB);
    expect(neededBytes(undefined, 512 * MiB, true)).toBe(768 * MiB);
    expect(neededBytes(undefined, 512 * MiB, false)).toBeUndefined();
    expect(neededBytes(undefined, undefined, true)).toBeUndefined();
  });

  test.each([
    [60 * 1.5, 128],
    [1536, 1536],
    [1535.2, 1536],
    [12288, 10240],
  ])('lambda: %f MB → %i MB (1 MB steps, 128..10240)', (mb, out) => {
    expect(lambdaMb(mb * MiB)).toBe(out);
  });

  test.each([
    // need MiB, current cpu → cpu, memory
    [600, 256, 256, 1024],
    [2048, 256, 256, 2048],
    [2049, 256, 512, 3072],
    [4097, 512, 1024, 5120],
    [8193, 1024, 2048, 9216],
    [16385, 2048, 4096, 17408],
    [30721, 4096, 8192, 32768],
    [20000, 8192, 8192, 20480],
    [61441, 8192, 16384, 65536],
    [1000, 4096, 4096, 8192],
    [3000, undefined, 512, 3072],
  ])('fargate: %i MiB at cpu %p → cpu %i, %i MiB', (need, cpu, outCpu, outMem) => {
    expect(fargateTaskSize(need, cpu)).toEqual({ cpu: outCpu, memoryMiB: outMem });
  });

  test('fargate: nothing above 120 GB', () => {
    expect(fargateTaskSize(122881, undefined)).toBeNull();
    expect(fargateTaskSize(122880, undefined)).toEqual({ cpu: 16384, memoryMiB: 122880 });
  });

  test('runtime ceilings: heap at 75%, GOMEMLIMIT at 90%, rounded down to MiB', () => {
    expect(heapCeilingMiB(768 * MiB)).toBe(576);
    expect(heapCeilingMiB(1024 * MiB)).toBe(768);
    expect(heapCeilingMiB(1000 * MiB)).toBe(750);
    expect(goMemLimitMiB(512 * MiB)).toBe(460);
    expect(goMemLimitMiB(1024 * MiB)).toBe(921);
  });

  test('grace: doubled, at least 30 s, capped where the platform caps it', () => {
    expect(proposedGraceSeconds(30)).toBe(60);
    expect(proposedGraceSeconds(10)).toBe(30);
    expect(proposedGraceSeconds(90, 120)).toBe(120);
    expect(proposedGraceSeconds(120, 120)).toBe(120);
  });
});
