import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { EXPRESSION_FUNCTIONS, checkExpression, compileExpression, evaluateWithMathjs, isUsableVariableName } from '../../src/core/expr.js';
import type { CompiledExpression, ExpressionType } from '../../src/core/expr.js';

const where = { file: 'scenario.yaml', path: 'countries[IND].utility', line: 12, column: 14 };
const variables = ['x', 'y', 'gdp', 'share'];

function compile(source: string, type: ExpressionType = 'number', vars: readonly string[] = variables): CompiledExpression {
  return compileExpression(source, { where, variables: vars, type });
}

function rejection(source: string, type: ExpressionType = 'number'): InputError {
  try {
    compile(source, type);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`expected an InputError for ${JSON.stringify(source.slice(0, 80))}, got ${String(e)}`);
  }
  throw new Error(`expected ${JSON.stringify(source.slice(0, 80))} to be rejected`);
}

describe('compileExpression: hostile input is rejected before anything runs', () => {
  const hostile: [string, string, RegExp][] = [
    ['import', 'import({}, {override: true})', /objects|function 'import' is not allowed/],
    ['createUnit', 'createUnit("x")', /text strings|function 'createUnit' is not allowed/],
    ['evaluate', 'evaluate("1")', /not allowed/],
    ['parse', 'parse("1")', /not allowed/],
    ['simplify', 'simplify("x")', /not allowed/],
    ['derivative', 'derivative("x", "x")', /not allowed/],
    ['resolve', 'resolve(x)', /function 'resolve' is not allowed/],
    ['compile', 'compile("1")', /not allowed/],
    ['random', 'random()', /function 'random' is not allowed/],
    ['pickRandom', 'pickRandom([1, 2])', /not allowed/],
    ['function definition', 'f(x) = x', /defining functions is not allowed/],
    ['assignment', 'x = 1', /assignment/],
    ['property access', 'a.b', /property access/],
    ['computed property', 'x["constructor"]', /property access/],
    ['constructor chain', 'cos.constructor("return process")()', /syntax error|property access|only named functions/],
    ['method call', 'x.y(1)', /only named functions|property access/],
    ['constructor call', 'cos.constructor("return process")', /only named functions|text strings/],
    ['call of parenthesis', '(max)(1)', /only named functions|is a function/],
    ['string', '"abc"', /text strings are not allowed/],
    ['single-quoted string', "'abc'", /text strings are not allowed/],
    ['matrix', '[1, 2]', /lists and matrices/],
    ['object', '{a: 1}', /objects/],
    ['range', '1:3', /ranges/],
    ['index', 'x[1]', /indexing|property access/],
    ['block', 'x; y', /more than one statement/],
    ['newline block', 'x\ny', /more than one statement/],
    ['ones', 'ones(1e9)', /function 'ones' is not allowed/],
    ['zeros', 'zeros(1e5, 1e5)', /function 'zeros' is not allowed/],
    ['unit', '5 cm', /unknown name 'cm'/],
    ['unit conversion', 'x to cm', /operator 'to'/],
    ['factorial', 'x!', /operator '!'/],
    ['transpose', "x'", /operator/],
    ['bitwise and', 'x & 1', /operator '&'/],
    ['bitwise or', 'x | 1', /operator '\|'/],
    ['bitwise not', '~x', /operator '~'/],
    ['shift', 'x << 1', /operator '<<'/],
    ['nullish', 'x ?? 1', /operator '\?\?'/],
    ['dot multiply', 'x .* y', /operator/],
    ['__proto__', '__proto__', /reserved/],
    ['__proto__ arithmetic', '__proto__ + 1', /reserved/],
    ['constructor', 'constructor', /reserved/],
    ['toString', 'toString', /reserved/],
    ['hasOwnProperty', 'hasOwnProperty', /reserved/],
    ['valueOf call', 'valueOf()', /not allowed/],
    ['this', 'this', /unknown name 'this'/],
    ['process', 'process', /unknown name 'process'/],
    ['globalThis', 'globalThis', /unknown name/],
    ['require', 'require("fs")', /not allowed/],
    ['eval', 'eval("1")', /not allowed/],
    ['Function', 'Function("return 1")()', /not allowed|only named functions|syntax error/],
    ['NaN literal', 'NaN', /NaN and Infinity/],
    ['Infinity literal', 'Infinity', /NaN and Infinity/],
    ['overflowing literal', '1e999', /NaN and Infinity/],
    ['null', 'null', /'null' is not allowed/],
    ['undefined', 'undefined', /'undefined' is not allowed/],
    ['empty', '', /empty expression/],
    ['blank', '   \t ', /empty expression/],
    ['dangling operator', 'x +', /syntax error/],
    ['half ternary', 'x ? 1', /syntax error/],
    ['unknown function', 'sinh(x)', /function 'sinh' is not allowed/],
    ['function as value', 'max + 1', /'max' is a function/],
    ['no arguments', 'max()', /takes at least 1 argument/],
    ['too many arguments', 'sqrt(1, 2)', /takes 1 argument/],
    ['round with 3 arguments', 'round(x, 1, 2)', /takes 1 or 2 arguments/],
    ['unknown variable', 'gpd * 2', /unknown name 'gpd' — did you mean 'gdp'\?/],
    ['deep brackets', `${'('.repeat(200)}1${')'.repeat(200)}`, /too deeply nested/],
    ['deep brackets (limit + 1)', `${'('.repeat(33)}1${')'.repeat(33)}`, /too deeply nested/],
    ['deep square brackets', `${'['.repeat(200)}${']'.repeat(200)}`, /too deeply nested/],
    ['long unary chain', `${'-'.repeat(400)}1`, /too deeply nested/],
    ['long not chain', `${'not '.repeat(120)}1`, /too deeply nested|too long/],
    ['long power tower', `${'2^'.repeat(200)}2`, /too deeply nested|too long/],
    ['too many terms', Array.from({ length: 240 }, () => 'x').join('+'), /too deeply nested|too long/],
    ['100k characters', 'x+'.repeat(50_000), /too long/],
    ['100k-character string literal', `"${'a'.repeat(100_000)}"`, /too long/],
    ['right-to-left override', '\u202Ex + 1', /not plain ASCII/],
    ['zero-width space', 'x\u200B+ 1', /not plain ASCII/],
    ['fullwidth digit', '\uFF11 + x', /not plain ASCII/],
    ['Cyrillic homoglyph', '\u0445 + 1', /not plain ASCII/],
    ['Greek letter', '\u03B1 + 1', /not plain ASCII/],
    ['NUL byte', 'x\u0000', /not plain ASCII/],
    ['lone surrogate', 'x + \uD800', /not plain ASCII/],
    ['emoji', 'x + \u{1F4A3}', /not plain ASCII/],
  ];

  it.each(hostile)('%s', (_name, source, pattern) => {
    const e = rejection(source);
    expect(e.message).toMatch(pattern);
    // The message names the place of the expression.
    const p = e.problems[0];
    expect(p?.file).toBe('scenario.yaml');
    expect(p?.path).toBe('countries[IND].utility');
    expect(p?.line).toBe(12);
    // Messages stay short even for huge inputs.
    expect(e.message.length).toBeLessThan(1000);
    expect(e.message).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('rejects non-string sources', () => {
    expect(() => compileExpression(42 as unknown as string, { where, variables, type: 'number' })).toThrow(InputError);
    expect(() => compileExpression({ toString: () => 'x' } as unknown as string, { where, variables, type: 'number' })).toThrow(InputError);
  });

  it('rejects a condition where a number is needed, and a number where a condition is needed', () => {
    expect(rejection('x > 1').message).toMatch(/must be a number, not a condition/);
    expect(rejection('x + 1', 'boolean').message).toMatch(/must be a condition/);
    expect(rejection('x > 1 ? 1 : false').message).toMatch(/must be a number/);
  });

  it('declared variables named like Object.prototype members are still refused', () => {
    expect(() => compile('constructor + 1', 'number', ['constructor'])).toThrow(/reserved/);
    expect(() => compile('__proto__', 'number', ['__proto__'])).toThrow(/reserved/);
  });
});

describe('compileExpression: evaluation', () => {
  it('evaluates arithmetic, functions, constants and conditionals like mathjs', () => {
    const cases: [string, Record<string, number>, number][] = [
      ['1 + 2 * x', { x: 3 }, 7],
      ['2 x', { x: 4 }, 8],
      ['max(1)(2)', {}, 2], // implicit multiplication, not a call of a call
      ['x ^ 2 - y', { x: 3, y: 1 }, 8],
      ['-2.5 mod 2', {}, 1.5],
      ['7 mod 0', {}, 7],
      ['abs(-3) + sqrt(16) + exp(0) + log(e) + log10(1000) + log(8, 2)', {}, 3 + 4 + 1 + 1 + 3 + 3],
      ['min(3, x, 5) + max(1, 2)', { x: 1 }, 3],
      ['floor(2.7) + ceil(2.1) + round(2.5) + round(-2.5) + sign(-4)', {}, 2 + 3 + 3 - 3 - 1],
      ['round(3.14159, 2)', {}, 3.14],
      ['pi > 3 and e < 3 ? 10 : 20', {}, 10],
      ['x > 1 ? log(x) : 0', { x: 0.5 }, 0],
      ['0.1 + 0.2 == 0.3 ? 1 : 0', {}, 1], // mathjs compares with a relative tolerance
      ['50%', {}, 0.5],
      ['100 + 50%', {}, 150],
      ['(0 < x < 5) + (not x) + (x xor 0) + (true or false)', { x: 2 }, 1 + 0 + 1 + 1],
      ['share * gdp', { share: 0.25, gdp: 400 }, 100],
    ];
    for (const [source, scope, expected] of cases) {
      const c = compile(source);
      expect(c.evaluate(scope), source).toBeCloseTo(expected, 12);
      const m = evaluateWithMathjs(c, scope);
      expect(typeof m === 'boolean' ? Number(m) : m, `mathjs: ${source}`).toBe(c.evaluate(scope));
    }
  });

  it('reports the variables actually used, in order of first use', () => {
    expect(compile('y * 2 + x + y + pi').variables).toEqual(['y', 'x']);
    expect(compile('1 + 2').variables).toEqual([]);
  });

  it('boolean expressions: evaluate gives 1/0, test gives the boolean', () => {
    const c = compile('gdp > 100 and x >= 0.5', 'boolean');
    expect(c.evaluate({ gdp: 200, x: 0.5 })).toBe(1);
    expect(c.test({ gdp: 200, x: 0.5 })).toBe(true);
    expect(c.test({ gdp: 50, x: 0.5 })).toBe(false);
  });

  it('a non-finite result is an InputError naming the place and the variable values', () => {
    const c = compile('gdp / x');
    let err: unknown;
    try {
      c.evaluate({ gdp: 5, x: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const p = (err as InputError).problems[0];
    expect(p).toMatchObject({ file: 'scenario.yaml', path: 'countries[IND].utility', line: 12, found: 'Infinity', expected: 'a finite number' });
    expect(p?.message).toMatch(/gdp=5, x=0/);
    expect(() => c.evaluate({ gdp: 0, x: 0 })).toThrow(/NaN/);
    expect(() => c.evaluate({ gdp: Infinity, x: 1 })).toThrow(InputError);
  });

  it('a value with no real result (mathjs would go complex) is an InputError', () => {
    expect(() => compile('sqrt(x)').evaluate({ x: -4 })).toThrow(/sqrt\(-4\) has no real value with x=-4/);
    expect(() => compile('log(x)').evaluate({ x: -1 })).toThrow(InputError);
    expect(() => compile('x ^ 0.5').evaluate({ x: -2 })).toThrow(/no real value/);
    expect(() => compile('round(x, 1.5)').evaluate({ x: 1 })).toThrow(/whole number from 0 to 15/);
    expect(compile('x ^ 3').evaluate({ x: -2 })).toBe(-8);
  });

  it('a missing variable in the scope is a programming error, not an InputError', () => {
    const c = compile('x + y');
    expect(() => c.evaluate({ x: 1 })).toThrow(/internal/);
    expect(() => c.evaluate({ x: 1 })).not.toThrow(InputError);
  });

  it('a scope with prototype tricks cannot inject values', () => {
    const c = compile('x + 1');
    const scope = Object.create({ x: 5 }) as Record<string, number>;
    // Inherited numbers are read (plain property access), but never non-numbers: a getter returning a function fails.
    expect(c.evaluate(scope)).toBe(6);
    expect(() => c.evaluate({ x: 'constructor' as unknown as number })).toThrow(/internal/);
  });

  it('checkExpression accepts any variable name but keeps every other rule', () => {
    expect(checkExpression('gdp * demand + pi', { where, type: 'number' })).toEqual(['gdp', 'demand']);
    expect(() => checkExpression('import("x")', { where, type: 'number' })).toThrow(InputError);
    expect(() => checkExpression('constructor', { where, type: 'number' })).toThrow(/reserved/);
    expect(() => checkExpression('tier == 1', { where, type: 'number' })).toThrow(/condition/);
  });

  it('isUsableVariableName', () => {
    expect(isUsableVariableName('share')).toBe(true);
    for (const bad of ['mod', 'and', 'e', 'pi', 'max', 'constructor', '__x', '1a', 'a.b', 'to']) expect(isUsableVariableName(bad), bad).toBe(false);
  });

  it('is fast: 200k evaluations well under a second', () => {
    const c = compile('x * 2 + max(y, 1) - (x > 1 ? log(x) : 0)', 'number', ['x', 'y']);
    const scope = { x: 0, y: 2 };
    const t0 = performance.now();
    let acc = 0;
    for (let i = 0; i < 200_000; i++) {
      scope.x = i * 1e-5;
      acc += c.evaluate(scope);
    }
    expect(Number.isFinite(acc)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Fuzzing
// ---------------------------------------------------------------------------------------------------------

function onlyInputErrors(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
  }
}

describe('compileExpression: fuzz', () => {
  it('arbitrary strings never throw anything but InputError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 })), (s) => {
        onlyInputErrors(() => compile(s).evaluate({ x: 1, y: 2, gdp: 3, share: 0.5 }));
      }),
      { numRuns: 600 },
    );
  });

  it('token soup never throws anything but InputError', () => {
    const token = fc.constantFrom(
      'x', 'y', 'gdp', 'pi', 'e', 'true', 'null', '1', '0', '2.5', '1e308', '-', '+', '*', '/', '^', 'mod', '(', ')', '[', ']', '{', '}',
      ',', ':', '?', '==', '<', '>=', 'and', 'not', 'xor', '!', "'", '"', '.', '=', ';', '\n', 'max', 'sqrt', 'log', 'round', 'import',
      'constructor', '__proto__', 'cos', 'f', 'to', 'cm', '%', '&', '|', '~', '??', ' ',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), fc.double({ noNaN: false }), (tokens, x) => {
        onlyInputErrors(() => compile(tokens.join(' ')).evaluate({ x, y: 2, gdp: 3, share: 0.5 }));
      }),
      { numRuns: 1500 },
    );
  });
});

// Random allow-listed trees: the closure translation must agree with mathjs evaluating the same tree.
const leaf = fc.oneof(
  fc.integer({ min: -5, max: 5 }).map((n) => (n < 0 ? `(${n})` : String(n))),
  fc.constantFrom('0.5', '2.25', '1e-3', '0.1', '3'),
  fc.constantFrom('x', 'y', 'z', 'pi', 'e', 'true', 'false'),
);
const { tree } = fc.letrec<{ tree: string }>((t) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(fc.constantFrom('-', '+', 'not '), t('tree')).map(([op, a]) => `${op}(${a})`),
    fc
      .tuple(t('tree'), fc.constantFrom('+', '-', '*', '/', '^', 'mod', '==', '!=', '<', '>', '<=', '>=', 'and', 'or', 'xor'), t('tree'))
      .map(([a, op, b]) => `(${a}) ${op} (${b})`),
    fc.tuple(t('tree'), t('tree'), t('tree')).map(([c, a, b]) => `(${c}) ? (${a}) : (${b})`),
    fc.tuple(t('tree'), fc.constantFrom('<', '<=', '=='), t('tree'), fc.constantFrom('<', '>', '!='), t('tree')).map(([a, o1, b, o2, c]) => `(${a}) ${o1} (${b}) ${o2} (${c})`),
    fc.tuple(fc.constantFrom('abs', 'sqrt', 'exp', 'log', 'log10', 'floor', 'ceil', 'round', 'sign'), t('tree')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(fc.constantFrom('min', 'max', 'log', 'round', 'mod'), t('tree'), t('tree')).map(([f, a, b]) => (f === 'mod' ? `(${a}) mod (${b})` : `${f}(${a}, ${b})`)),
    fc.tuple(fc.constantFrom('round', 'floor', 'ceil'), t('tree'), fc.integer({ min: 0, max: 4 })).map(([f, a, n]) => `${f}(${a}, ${n})`),
    fc.tuple(fc.constantFrom('min', 'max'), t('tree'), t('tree'), t('tree')).map(([f, a, b, c]) => `${f}(${a}, ${b}, ${c})`),
  ),
}));
const value = fc.oneof(fc.integer({ min: -4, max: 4 }), fc.double({ min: -10, max: 10, noNaN: true }), fc.constantFrom(0, 0.5, 1e-9, -0.25));

describe('compileExpression: closures agree with mathjs', () => {
  it('random allow-listed trees evaluate equal to mathjs', () => {
    let agreed = 0;
    let runs = 0;
    fc.assert(
      fc.property(
        tree.filter((s) => s.length < 480),
        value,
        value,
        value,
        (src, x, y, z) => {
          runs++;
          let c: CompiledExpression;
          try {
            c = compileExpression(`0 + (${src})`, { where, variables: ['x', 'y', 'z'], type: 'number' });
          } catch (e) {
            // A constant part with no finite value is refused when compiling (folded), before any evaluation.
            expect(e).toBeInstanceOf(InputError);
            expect((e as InputError).message).toMatch(/not a finite number|has no real value/);
            return;
          }
          const scope = { x, y, z };
          let ref: unknown;
          let refThrew = false;
          try {
            ref = evaluateWithMathjs(c, scope);
          } catch {
            refThrew = true;
          }
          let mine: number;
          try {
            mine = c.evaluate(scope);
          } catch (e) {
            expect(e).toBeInstanceOf(InputError);
            const msg = (e as InputError).message;
            if (!/no real value|whole number from 0 to 15/.test(msg)) {
              // Not a domain error: the result was not finite, and mathjs agrees (or went complex).
              expect(refThrew || typeof ref !== 'number' || !Number.isFinite(ref), `${src} with ${JSON.stringify(scope)}: mathjs gave ${String(ref)}`).toBe(true);
            }
            return;
          }
          agreed++;
          expect(refThrew, `${src}: mathjs threw but the closure gave ${mine}`).toBe(false);
          const refNum = typeof ref === 'boolean' ? Number(ref) : ref;
          expect(typeof refNum, `${src}: mathjs gave ${String(ref)}`).toBe('number');
          expect(Object.is(refNum, mine) || refNum === mine, `${src} with ${JSON.stringify(scope)}: closure ${mine}, mathjs ${String(ref)}`).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
    // Most random trees evaluate to a finite number; the comparison is not vacuous.
    expect(agreed / runs).toBeGreaterThan(0.5);
  });

  it('the allow-list is exactly the documented functions', () => {
    expect(Object.keys(EXPRESSION_FUNCTIONS).sort()).toEqual(['abs', 'ceil', 'cos', 'exp', 'floor', 'log', 'log10', 'max', 'min', 'round', 'sign', 'sin', 'sqrt', 'tan']);
  });
});
