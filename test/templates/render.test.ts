/** Placeholder substitution: typed values, values inside longer strings, inputs without a value, and what is found where. */
import { placeholderUses, renderTemplate } from '../../src/templates/render';

describe('renderTemplate', () => {
  it('gives a string that is exactly one placeholder the input’s typed value', () => {
    const inputs = { n: 5, on: true, list: ['a', 'b'], obj: { k: 1 }, nothing: null, text: 'x' };
    const config = {
      n: '{{inputs.n}}',
      on: '{{ inputs.on }}',
      list: '{{inputs.list}}',
      obj: '{{inputs.obj}}',
      nothing: '{{inputs.nothing}}',
      text: '{{inputs.text}}',
    };
    expect(renderTemplate(config, inputs)).toEqual(inputs);
  });

  it('replaces a placeholder inside a longer string by the value’s text (JSON for what is not a string)', () => {
    const inputs = { owner: 'acme', repo: 'shop', n: 3, on: false, list: ['a', 1] };
    expect(
      renderTemplate(
        {
          deployment_id: 'release-{{inputs.owner}}-{{ inputs.repo }}',
          note: '{{inputs.n}} PRs, draft {{inputs.on}}, labels {{inputs.list}}',
        },
        inputs,
      ),
    ).toEqual({ deployment_id: 'release-acme-shop', note: '3 PRs, draft false, labels ["a",1]' });
  });

  it('leaves out a property or an array element whose whole placeholder has no value, and renders nested values', () => {
    const config = {
      resources: { gate: { properties: { timeout: '{{inputs.timeout}}', message: 'ok' } } },
      reviewers: ['{{inputs.lead}}', '{{inputs.second}}', 'fixed'],
    };
    expect(renderTemplate(config, { lead: 'ann' })).toEqual({
      resources: { gate: { properties: { message: 'ok' } } },
      reviewers: ['ann', 'fixed'],
    });
  });

  it('reads only the inputs’ own values (an input named constructor has none unless given)', () => {
    expect(renderTemplate({ a: '{{inputs.constructor}}', b: 1 }, {})).toEqual({ b: 1 });
  });

  it('does not change the config it renders', () => {
    const config = { a: '{{inputs.a}}', b: ['{{inputs.a}}'] };
    const before = structuredClone(config);
    renderTemplate(config, { a: 1 });
    expect(config).toEqual(before);
  });

  it('refuses a placeholder inside a longer string whose input has no value (loading prevents it)', () => {
    expect(() => renderTemplate({ a: 'x-{{inputs.a}}' }, {})).toThrow('placeholder {{inputs.a}} has no value');
  });
});

describe('placeholderUses', () => {
  it('finds every placeholder with the path of its string, whether it is whole, and what is not an input', () => {
    const uses = placeholderUses({
      deployment_id: 'release-{{inputs.repo}}',
      resources: { a: { depends_on: ['{{inputs.first}}'], properties: { x: '{{secrets.token}}' } } },
      '{{inputs.key}}': 1,
    });
    expect(uses).toEqual([
      { kind: 'input', name: 'repo', text: '{{inputs.repo}}', whole: false, at: 'deployment_id' },
      { kind: 'input', name: 'first', text: '{{inputs.first}}', whole: true, at: 'resources.a.depends_on[0]' },
      { kind: 'invalid', text: '{{secrets.token}}', at: 'resources.a.properties.x' },
      { kind: 'in-key', text: '{{inputs.key}}', at: '{{inputs.key}}' },
    ]);
  });

  it('leaves braces without a dot to the resource type (slack:message fills {{run_url}} from its references)', () => {
    expect(placeholderUses({ text: 'Releasing {{inputs.app}}: {{run_url}}' })).toEqual([
      { kind: 'input', name: 'app', text: '{{inputs.app}}', whole: false, at: 'text' },
    ]);
    expect(renderTemplate({ text: 'Releasing {{inputs.app}}: {{ run_url }}' }, { app: 'billing' })).toEqual({
      text: 'Releasing billing: {{ run_url }}',
    });
  });

  it('calls a nested input path unknown: inputs are named, not navigated', () => {
    expect(placeholderUses({ a: '{{inputs.repo.name}}' })).toEqual([
      { kind: 'invalid', text: '{{inputs.repo.name}}', at: 'a' },
    ]);
  });
});
