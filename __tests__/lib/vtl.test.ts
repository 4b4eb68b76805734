import {
  defaultContext,
  escapeJavaScript,
  renderMappingTemplate,
  renderRequestTemplate,
  renderResponseTemplate,
  VtlInputError,
} from '../../local/vtl/renderer';

/** Renders a request template over a JSON body. */
function withBody(template: string, body: unknown): string {
  return renderRequestTemplate(template, { body: JSON.stringify(body) });
}

describe('$context and $stageVariables', () => {
  it('provides a fixed, realistic default $context', () => {
    const ctx = defaultContext() as Record<string, any>;
    expect(ctx).toMatchObject({
      requestId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      extendedRequestId: expect.any(String),
      httpMethod: 'POST',
      stage: 'test',
      accountId: expect.stringMatching(/^\d{12}$/),
      identity: { sourceIp: expect.any(String), userAgent: expect.any(String), apiKey: expect.any(String), apiKeyId: expect.any(String) },
    });
    expect(ctx.path).toBe(`/${ctx.stage}${ctx.resourcePath}`);
    // requestTime is the CLF rendering of requestTimeEpoch.
    expect(new Date(ctx.requestTimeEpoch).toISOString()).toBe('2026-01-15T09:30:00.000Z');
    expect(ctx.requestTime).toBe('15/Jan/2026:09:30:00 +0000');
    // Each call is a fresh copy, so a template (or test) mutating it cannot leak into the next render.
    ctx.identity.sourceIp = 'changed';
    expect((defaultContext() as any).identity.sourceIp).not.toBe('changed');
  });

  it('renders the AWS documentation $context example, with overrides deep-merged', () => {
    const template = `{
      "stage" : "$context.stage", "request_id" : "$context.requestId", "api_id" : "$context.apiId",
      "resource_path" : "$context.resourcePath", "http_method" : "$context.httpMethod",
      "source_ip" : "$context.identity.sourceIp", "user-agent" : "$context.identity.userAgent",
      "api_key" : "$context.identity.apiKey", "caller" : "$context.identity.caller", "epoch": $context.requestTimeEpoch
    }`;
    const out = JSON.parse(renderRequestTemplate(template, { context: { httpMethod: 'PUT', identity: { sourceIp: '203.0.113.9' } } }));
    const ctx = defaultContext() as Record<string, any>;
    expect(out).toEqual({
      stage: 'test',
      request_id: ctx.requestId,
      api_id: ctx.apiId,
      resource_path: ctx.resourcePath,
      http_method: 'PUT',
      source_ip: '203.0.113.9',
      'user-agent': ctx.identity.userAgent, // kept: the override is merged, not substituted
      api_key: ctx.identity.apiKey,
      caller: '', // null $context values print as nothing, as on API Gateway
      epoch: ctx.requestTimeEpoch,
    });
  });

  it('reads stage variables with all three documented syntaxes', () => {
    const out = renderRequestTemplate("$stageVariables.table|$stageVariables['table']|${stageVariables['table']}", {
      stageVariables: { table: 'sp-dev-comments' },
    });
    expect(out).toBe('sp-dev-comments|sp-dev-comments|sp-dev-comments');
  });

  it('lets a response template override the status through $context.responseOverride', () => {
    const result = renderMappingTemplate('#set($context.responseOverride.status = 409){"ok": false}', {
      body: '{}',
      kind: 'response',
    });
    expect(JSON.parse(result.output)).toEqual({ ok: false });
    expect((result.context.responseOverride as Record<string, unknown>).status).toBe(409);
  });
});

describe('$input', () => {
  const body = { name: 'Zoë', n: 3, f: 2.5, ok: true, nothing: null, tags: ['a', 'b'], nested: { list: [{ c: 5 }, { c: 6 }] } };

  it('$input.body is the raw text, and {} when the body is empty', () => {
    expect(renderRequestTemplate('$input.body', { body: '{ "raw" :1 }' })).toBe('{ "raw" :1 }');
    expect(renderRequestTemplate('$input.body', { body: 'not json at all' })).toBe('not json at all');
    expect(renderRequestTemplate('$input.body')).toBe('{}');
    expect(renderRequestTemplate("$input.json('$')|$input.path('$').size()", { body: '' })).toBe('{}|0');
  });

  it('$input.json returns compact JSON text of the selection', () => {
    expect(withBody("$input.json('$')", body)).toBe(JSON.stringify(body));
    expect(withBody("$input.json('$.name')", body)).toBe('"Zoë"');
    expect(withBody("$input.json('$.n')|$input.json('$.ok')|$input.json('$.nothing')", body)).toBe('3|true|null');
    expect(withBody("$input.json('$.nested.list[1].c')", body)).toBe('6');
    expect(withBody("$input.json(\"$['nested']['list'][0]\")", body)).toBe('{"c":5}');
    expect(withBody("$input.json('$.tags[-1]')", body)).toBe('"b"');
    expect(withBody("$input.json('tags')", body)).toBe('["a","b"]'); // Jayway reads a bare path from the root
  });

  it('$input.json of a path that selects nothing is an empty JSON string, so the output still parses', () => {
    const out = withBody("{\"a\": $input.json('$.missing'), \"b\": $input.json('$.tags[7]'), \"c\": $input.json('$.name.deeper')}", body);
    expect(out).toBe('{"a": "", "b": "", "c": ""}');
    expect(JSON.parse(out)).toEqual({ a: '', b: '', c: '' });
  });

  it('$input.path returns VTL values: maps, lists, strings, numbers, booleans, null', () => {
    expect(withBody("$input.path('$.name')|$input.path('$.n')|$input.path('$.f')|$input.path('$.ok')", body)).toBe('Zoë|3|2.5|true');
    // Maps print like java.util.LinkedHashMap, JSON arrays like json-smart's JSONArray.
    expect(withBody("$input.path('$.nested')", body)).toBe('{list=[{"c":5},{"c":6}]}');
    expect(withBody("$input.path('$.tags')", body)).toBe('["a","b"]');
    expect(withBody("$input.path('$.tags').size()|$input.path('$.nested').size()|$input.path('$.tags').get(0)", body)).toBe('2|1|a');
    expect(withBody("#set($l = $input.path('$.nested.list'))$l.get(1).c", body)).toBe('6');
    // Each call reads the payload afresh: changing one result does not change the body.
    expect(withBody("#set($t = $input.path('$.tags'))#set($ignored = $t.add('c'))$t|$input.json('$.tags')", body)).toBe('["a","b","c"]|["a","b"]');
  });

  it('$input.path of a missing path or a JSON null is null: prints nothing and is false in #if', () => {
    const template = "[$input.path('$.missing')][$!input.path('$.missing')][$input.path('$.nothing')]#if($input.path('$.missing'))yes#{else}no#end";
    expect(withBody(template, body)).toBe('[][][]no');
  });

  it('reproduces the documentation example: count via .size() and the things object', () => {
    const template = `{
    "id" : "$input.params('id')",
    "count" : "$input.path('$.things').size()",
    "things" : $input.json('$.things')
}`;
    const out = renderRequestTemplate(template, {
      body: JSON.stringify({ things: { '1': {}, '2': {}, '3': {} } }),
      pathParameters: { id: 'abc' },
    });
    expect(JSON.parse(out)).toEqual({ id: 'abc', count: '3', things: { '1': {}, '2': {}, '3': {} } });
  });

  it('#foreach walks lists and the values of maps from $input.path', () => {
    const data = { items: [{ id: 'x' }, { id: 'y' }, { id: 'z' }], byKey: { k1: 'v1', k2: 'v2' } };
    expect(withBody("#foreach($i in $input.path('$.items'))$i.id#if($foreach.hasNext),#end#end", data)).toBe('x,y,z');
    expect(withBody("#foreach($v in $input.path('$.byKey'))$v;#end", data)).toBe('v1;v2;');
    expect(withBody("#set($m = $input.path('$.byKey'))#foreach($k in $m.keySet())$k=$m.get($k)#if($foreach.hasNext)&#end#end", data)).toBe(
      'k1=v1&k2=v2',
    );
  });

  it('rejects JSONPath beyond the supported definite subset instead of guessing', () => {
    expect(() => withBody("$input.json('$..id')", body)).toThrow(/outside the supported subset/);
    expect(() => withBody("$input.path('$.tags[*]')", body)).toThrow(/outside the supported subset/);
  });

  it('a body that is not JSON fails like API Gateway: 400 for a request, 500 for a response', () => {
    const attempt = (fn: () => string): VtlInputError => {
      try {
        fn();
      } catch (e) {
        return e as VtlInputError;
      }
      throw new Error('expected the render to fail');
    };
    const requestError = attempt(() => renderRequestTemplate("$input.json('$')", { body: '{"broken":' }));
    expect(requestError).toBeInstanceOf(VtlInputError);
    expect(requestError.statusCode).toBe(400);
    expect(requestError.message).toMatch(/^Could not parse request body into json/);
    expect(attempt(() => renderResponseTemplate("$input.path('$.x')", '<html>')).statusCode).toBe(500);
  });

  it('$input.params(name) searches path, then query string, then headers (case-insensitively), else ""', () => {
    const request = {
      pathParameters: { id: 'from-path' },
      queryStringParameters: { id: 'from-query', limit: '10' },
      headers: { id: 'from-header', 'X-Api-Key': 'k-123', 'Content-Type': 'application/json' },
    };
    const out = renderRequestTemplate(
      "$input.params('id')|$input.params('limit')|$input.params('x-api-key')|$input.params('CONTENT-TYPE')|[$input.params('absent')][$input.params('constructor')]",
      request,
    );
    expect(out).toBe('from-path|10|k-123|application/json|[][]');
  });

  it('$input.params() drives the documented pass-all-parameters template', () => {
    const template = `#set($allParams = $input.params())
{
  "params" : {
    #foreach($type in $allParams.keySet())
    #set($params = $allParams.get($type))
    "$type" : {
      #foreach($paramName in $params.keySet())
      "$paramName" : "$util.escapeJavaScript($params.get($paramName))"
      #if($foreach.hasNext),#end
      #end
    }
    #if($foreach.hasNext),#end
    #end
  }
}`;
    const out = renderRequestTemplate(template, {
      pathParameters: { id: '42' },
      queryStringParameters: { q: 'a "quoted" term', page: '2' },
      headers: { 'User-Agent': 'curl/8.5.0' },
    });
    expect(JSON.parse(out)).toEqual({
      params: { path: { id: '42' }, querystring: { q: 'a "quoted" term', page: '2' }, header: { 'User-Agent': 'curl/8.5.0' } },
    });
    expect(renderRequestTemplate("$input.params().header.get('user-agent')", { headers: { 'User-Agent': 'ua' } })).toBe('ua');
  });
});

describe('$util', () => {
  it('escapeJavaScript follows commons-lang: \\\' for quotes, \\/ for slashes, \\uXXXX beyond ASCII', () => {
    expect(escapeJavaScript(`it's "x" \\ / end`)).toBe(`it\\'s \\"x\\" \\\\ \\/ end`);
    expect(escapeJavaScript('a\nb\tc\rd\be\ff')).toBe('a\\nb\\tc\\rd\\be\\ff');
    expect(escapeJavaScript('\u0000\u0001\u001f')).toBe('\\u0000\\u0001\\u001F');
    expect(escapeJavaScript('é中')).toBe('\\u00E9\\u4E2D');
    expect(escapeJavaScript('😀')).toBe('\\uD83D\\uDE00'); // UTF-16 code units: a surrogate pair
    expect(escapeJavaScript('\u007f\u0080')).toBe('\u007f\\u0080'); // Java leaves DEL itself alone
    expect(escapeJavaScript('plain ASCII 123 <>&=')).toBe('plain ASCII 123 <>&=');
  });

  it('$util.escapeJavaScript in a template; null stays empty', () => {
    expect(withBody("$util.escapeJavaScript($input.path('$.s'))|$util.escapeJavaScript($input.path('$.none'))|", { s: "O'Neil" })).toBe(
      "O\\'Neil||",
    );
  });

  it('the documented .replaceAll("\\\\\'", "\'") turns the escaped text into valid JSON that round-trips', () => {
    const nasty = [
      `it's`,
      `"quoted"`,
      `back\\slash`,
      `a\\'b`, // a user backslash before a quote must survive
      `line1\nline2\r\n\ttab`,
      `</script>`,
      `café 中文 😀`,
      `\u0000\u001f\u2028\u2029`,
      `trailing\\`,
    ];
    for (const text of nasty) {
      const raw = withBody(`{"v": "$util.escapeJavaScript($input.path('$.v'))"}`, { v: text });
      if (text.includes("'")) expect(() => JSON.parse(raw)).toThrow(); // what API Gateway would send
      const fixed = withBody(`{"v": "$util.escapeJavaScript($input.path('$.v')).replaceAll("\\\\'", "'")"}`, { v: text });
      expect(JSON.parse(fixed)).toEqual({ v: text });
    }
  });

  it('base64Encode/base64Decode use UTF-8', () => {
    expect(renderRequestTemplate('$util.base64Encode("héllo 😀")')).toBe(Buffer.from('héllo 😀', 'utf8').toString('base64'));
    expect(renderRequestTemplate('$util.base64Decode("aMOpbGxvIPCfmIA=")')).toBe('héllo 😀');
  });

  it('urlEncode/urlDecode follow java.net.URLEncoder/URLDecoder', () => {
    expect(renderRequestTemplate('$util.urlEncode("a b&c=d/é~*._-")')).toBe('a+b%26c%3Dd%2F%C3%A9%7E*._-');
    expect(renderRequestTemplate('$util.urlDecode("a+b%26c%3Dd%2F%C3%A9%7E")')).toBe('a b&c=d/é~');
  });

  it('parseJson returns an object usable in VTL (documentation example)', () => {
    const template = `#set ($errorMessageObj = $util.parseJson($input.path('$.errorMessage')))
{ "errorMessageObjKey2ArrVal" : $errorMessageObj.key2.arr[0] }`;
    const out = withBody(template, { errorMessage: JSON.stringify({ key1: 'var1', key2: { arr: [1, 2, 3] } }) });
    expect(JSON.parse(out)).toEqual({ errorMessageObjKey2ArrVal: 1 });
  });
});

describe('Java methods on strings, lists and maps', () => {
  it('string methods have Java semantics', () => {
    const cases: [string, string][] = [
      ['$s.length()', '11'],
      ['$s.isEmpty()', 'false'],
      ['$s.contains("b.c")', 'true'],
      ['$s.startsWith("a.")|$s.endsWith("x")', 'true|false'],
      ['$s.replace(".", "-")', 'a-b-c-a-b-c'], // every occurrence, not only the first
      ['$s.replaceAll("[.]([a-z])", "<$1>")', 'a<b><c><a><b><c>'],
      ['$s.replaceFirst("\\.", "_")', 'a_b.c.a.b.c'],
      ['$s.substring(2, 5)|$s.substring(6)', 'b.c|a.b.c'],
      ['$s.toUpperCase()|$s.toLowerCase()', 'A.B.C.A.B.C|a.b.c.a.b.c'],
      ['$s.split("\\.").size()|$s.split("\\.").get(1)', '6|b'],
      ['$s.indexOf("c")|$s.matches("[a-c.]+")', '4|true'],
      ['$padded.trim()|', 'x y|'],
      ['$s.equals("a.b.c.a.b.c")|$s.equalsIgnoreCase("A.B.C.A.B.C")', 'true|true'],
    ];
    for (const [template, expected] of cases) {
      expect(`${template} => ${renderRequestTemplate(`#set($s = "a.b.c.a.b.c")#set($padded = "  x y \t")${template}`)}`).toBe(
        `${template} => ${expected}`,
      );
    }
    expect(renderRequestTemplate('#set($csv = "a,b,,")$csv.split(",").size()')).toBe('2'); // trailing empties dropped
  });

  it('list methods', () => {
    const template = '#set($l = [])$l.isEmpty() $l.add("x") #set($ignored = $l.add("y"))$l.size() $l.get(1) $l.contains("x") $l';
    expect(renderRequestTemplate(template)).toBe('true true 2 y true [x, y]');
  });

  it('map methods', () => {
    const template =
      '#set($m = {"a": 1})$m.isEmpty() [$m.put("b", 2)] [$m.put("b", 3)] $m.size() $m.get("b") [$m.get("zz")] $m.containsKey("a") $m.containsKey("zz") $m.keySet() $m';
    expect(renderRequestTemplate(template)).toBe('false [] [2] 2 3 [] true false [a, b] {a=1, b=3}');
  });
});

describe('Velocity semantics', () => {
  it('#if/#elseif/#else', () => {
    const template = '#foreach($n in [1, 2, 3])#if($n == 1)one#elseif($n == 2)two#{else}many#end #end';
    expect(renderRequestTemplate(template)).toBe('one two many ');
  });

  it('only null and false are false in conditions (Velocity 1.7), not "" or 0', () => {
    const template = '#if("")E#end#if(0)Z#end#if(false)F#end#if($undefined)U#end#if(!$undefined)N#end#if("" && 0)A#end#if($undefined || 0)O#end';
    expect(renderRequestTemplate(template)).toBe('EZNAO');
  });

  it('null references print nothing, quiet or not', () => {
    expect(renderRequestTemplate('[$nope][$!nope][$nope.deeper][${nope}][$context.authorizer.principalId]')).toBe('[][][][][]');
  });

  it('#set to null keeps the previous value (the Velocity 1.7 loop trap)', () => {
    const template = "#foreach($i in $input.path('$.items'))#set($v = $i.value)$v;#end";
    expect(withBody(template, { items: [{ value: 'a' }, {}, { value: 'c' }] })).toBe('a;a;c;');
  });

  it('$foreach.hasNext/index/count, $velocityHasNext and $velocityCount, nested loops and #break', () => {
    expect(renderRequestTemplate('#foreach($x in ["a", "b"])$foreach.index$foreach.count$x#if($velocityHasNext),#end#end')).toBe('01a,12b');
    expect(renderRequestTemplate('#foreach($x in ["a", "b"])$velocityCount#end')).toBe('12');
    const nested = '#set($m = {"k1": {"a": 1, "b": 2}, "k2": {"c": 3}})#foreach($inner in $m)[#foreach($v in $inner)$v#if($foreach.hasNext),#end#end]#if($foreach.hasNext);#end#end';
    expect(renderRequestTemplate(nested)).toBe('[1,2];[3]');
    expect(renderRequestTemplate('#foreach($x in [1, 2, 3, 4])#if($x == 3)#break#end$x#end|#foreach($y in [5])$y#end')).toBe('12|5');
  });

  it('integer division truncates like Java', () => {
    expect(renderRequestTemplate('#set($a = 7 / 2)#set($b = 7 % 3)#set($c = 7.5 / 2)$a $b $c')).toBe('3 1 3.75');
  });
});

describe('realistic integration templates', () => {
  const escaped = (ref: string): string => `$util.escapeJavaScript(${ref}).replaceAll("\\\\'", "'")`;
  const putItem = (escape: (ref: string) => string): string => `#set($body = $input.path('$'))
{
  "TableName": "$stageVariables.table",
  "Item": {
    "id": {"S": "$context.requestId"},
    "username": {"S": "${escape("$input.path('$.username')")}"},
    "message": {"S": "${escape("$input.path('$.message')")}"},
#if($body.containsKey('tag'))
    "tag": {"S": "${escape("$input.path('$.tag')")}"},
#end
    "missing": {"S": "$input.path('$.missing')"},
    "createdAt": {"N": "$context.requestTimeEpoch"}
  },
  "ConditionExpression": "attribute_not_exists(id)"
}`;
  const comment = {
    username: `O'Brien "the \\ one"`,
    message: `Line 1\nLine 2\twith tab, accents: àéîõü, CJK: 漢字かな, emoji: 🚀 and a '/' slash`,
  };
  const request = { body: JSON.stringify(comment), stageVariables: { table: 'sp-dev-comments' } };

  it('DynamoDB PutItem: API Gateway output escapes \' as \\\' (invalid JSON) and non-ASCII as \\uXXXX', () => {
    const raw = renderRequestTemplate(putItem((ref) => `$util.escapeJavaScript(${ref})`), request);
    expect(raw).toContain(`"O\\'Brien \\"the \\\\ one\\""`);
    expect(raw).toContain('\\u00E0\\u00E9\\u00EE\\u00F5\\u00FC'); // àéîõü
    expect(raw).toContain('\\u6F22\\u5B57\\u304B\\u306A'); // 漢字かな
    expect(raw).toContain('\\uD83D\\uDE80'); // 🚀 as a surrogate pair
    expect(raw).toContain('Line 1\\nLine 2\\twith');
    expect(raw).toContain("a \\'\\/\\' slash");
    expect(() => JSON.parse(raw)).toThrow(/JSON/);
  });

  it('DynamoDB PutItem: with .replaceAll the body is valid JSON and every value round-trips', () => {
    const ctx = defaultContext() as Record<string, any>;
    const out = JSON.parse(renderRequestTemplate(putItem(escaped), request));
    expect(out).toEqual({
      TableName: 'sp-dev-comments',
      Item: {
        id: { S: ctx.requestId },
        username: { S: comment.username },
        message: { S: comment.message },
        missing: { S: '' }, // an unguarded missing field becomes an empty string
        createdAt: { N: String(ctx.requestTimeEpoch) },
      },
      ConditionExpression: 'attribute_not_exists(id)',
    });
    // The guarded optional field appears only when sent.
    const withTag = JSON.parse(renderRequestTemplate(putItem(escaped), { ...request, body: JSON.stringify({ ...comment, tag: "it's" }) }));
    expect(withTag.Item.tag).toEqual({ S: "it's" });
  });

  it('Kinesis PutRecord: Data is the base64 of the JSON text the client sent', () => {
    const template = `{"StreamName": "$input.params('stream-name')", "PartitionKey": $input.json('$.PartitionKey'), "Data": "$util.base64Encode($input.json('$.Data'))"}`;
    const data = { note: `quote " and ' and 😀`, n: [1, 2] };
    const out = JSON.parse(renderRequestTemplate(template, { body: JSON.stringify({ Data: data, PartitionKey: 'pk-1' }), pathParameters: { 'stream-name': 'orders' } }));
    expect(out.StreamName).toBe('orders');
    expect(out.PartitionKey).toBe('pk-1');
    expect(JSON.parse(Buffer.from(out.Data, 'base64').toString('utf8'))).toEqual(data);
  });

  it('Kinesis GetRecords response: decode each record inside #foreach', () => {
    const template = `{"records": [#foreach($r in $input.path('$.Records')){"seq": "$r.SequenceNumber", "data": $util.base64Decode($r.Data)}#if($foreach.hasNext),#end#end], "next": $input.json('$.NextShardIterator')}`;
    const kinesis = {
      Records: [
        { SequenceNumber: '1', Data: Buffer.from('{"a":1}').toString('base64'), PartitionKey: 'p' },
        { SequenceNumber: '2', Data: Buffer.from('{"b":"ü"}').toString('base64'), PartitionKey: 'p' },
      ],
      NextShardIterator: 'AAAA',
      MillisBehindLatest: 0,
    };
    expect(JSON.parse(renderResponseTemplate(template, JSON.stringify(kinesis)))).toEqual({
      records: [
        { seq: '1', data: { a: 1 } },
        { seq: '2', data: { b: 'ü' } },
      ],
      next: 'AAAA',
    });
    expect(JSON.parse(renderResponseTemplate(template, JSON.stringify({ Records: [], NextShardIterator: 'B' })))).toEqual({ records: [], next: 'B' });
  });
});
