import { OutputLines } from '../../local/lambda/output-lines';

// Lines as Node's readline cuts a stream: https://nodejs.org/api/readline.html#event-line
describe('a sandbox output, cut into lines', () => {
  const collect = () => {
    const lines: string[] = [];
    return { lines, output: new OutputLines((l) => lines.push(l)) };
  };

  it('joins a line written in pieces and keeps the unfinished end for the next text', () => {
    const { lines, output } = collect();
    output.write('stdout', 'one\ntw');
    expect(lines).toEqual(['one']);
    output.write('stdout', 'o\nthree');
    expect(lines).toEqual(['one', 'two']);
  });

  it('ends lines at \\n, \\r\\n and a lone \\r, also when \\r\\n is split between two writes', () => {
    const { lines, output } = collect();
    output.write('stdout', 'a\r\nb\rc\n');
    output.write('stdout', 'd\r');
    expect(lines).toEqual(['a', 'b', 'c']);
    output.write('stdout', '\ne\n');
    expect(lines).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('keeps stdout and stderr lines apart, and hands on unfinished lines at the end', () => {
    const { lines, output } = collect();
    output.write('stdout', 'out ');
    output.write('stderr', 'err\n');
    output.write('stdout', 'more');
    output.end();
    expect(lines).toEqual(['err', 'out more']);
  });
});
