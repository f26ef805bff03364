import { kubectlJson } from '../../src/sources/kubernetes/kubectl-json.js';

describe('kubectlJson: the bytes kubectl get -o json prints', () => {
  test('sorted keys at every level, four spaces, a final newline', () => {
    expect(kubectlJson({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', labels: { b: '1', a: '2' } }, items: [{ z: 1, y: [] }] }))
      .toBe('{\n    "apiVersion": "v1",\n    "items": [\n        {\n            "y": [],\n            "z": 1\n        }\n    ],\n    "kind": "Pod",\n    "metadata": {\n        "labels": {\n            "a": "2",\n            "b": "1"\n        },\n        "name": "p"\n    }\n}\n');
  });

  test('HTML characters escaped as Go\'s encoder does, and still the same value', () => {
    const value = { message: 'Liveness probe failed: <html> & more\u2028' };
    const text = kubectlJson(value);
    expect(text).toBe('{\n    "message": "Liveness probe failed: \\u003chtml\\u003e \\u0026 more\\u2028"\n}\n');
    expect(JSON.parse(text)).toEqual(value);
  });
});
