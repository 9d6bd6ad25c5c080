import * as assert from 'assert';
import { ResultLineScanner } from '../../extension/host/resultLines';

const line = 'PCB-RESULT {"rows": [{"job": "cpu", "sequentialS": 0.4, "threadsS": 0.5, "processesS": 0.25, "speedupThreads": 0.8, "speedupProcesses": 1.6}]}\n';

describe('result lines in program output', () => {
  it('finds a result line whole or cut anywhere across chunks', () => {
    for (let cut = 0; cut <= line.length; cut++) {
      const s = new ResultLineScanner();
      const found = [...s.push('table...\n' + line.slice(0, cut)), ...s.push(line.slice(cut) + 'after\n')];
      assert.strictEqual(found.length, 1, `cut at ${cut}`);
      assert.strictEqual(found[0][0].speedupProcesses, 1.6);
    }
  });

  it('ignores the prefix in the middle of a line, and malformed results', () => {
    const s = new ResultLineScanner();
    assert.deepStrictEqual(s.push('ab'), []);
    assert.deepStrictEqual(s.push(line), [], 'the line began with "ab"');
    assert.deepStrictEqual(s.push('PCB-RESULT {not json}\nPCB-RESULT {"rows": [{"job": 1}]}\n'), []);
    assert.strictEqual(s.push(line).length, 1, 'a later good line is found');
  });
});
