/**
 * A loopback stand-in for the LLM providers, speaking each protocol as its documentation shows it:
 * Anthropic Messages (`POST /v1/messages`), OpenAI chat completions (`POST …/chat/completions`, also what
 * OpenAI-compatible servers such as Ollama and vLLM serve) and Bedrock Converse
 * (`POST /model/{modelId}/converse`). Replies are scripted per request; the default reply is a digest
 * that cites the first messages of the request, as a well-behaved model would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Protocol = 'anthropic' | 'openai' | 'bedrock';

/** One request as the stand-in received it. */
export interface LlmRequest {
  protocol: Protocol;
  path: string;
  headers: http.IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: a provider request body is arbitrary JSON the test inspects
  body: any;
  /** The system prompt, whatever the protocol's field for it. */
  system: string;
  /** The user turns' text, in order. */
  userTexts: string[];
}

/** What to answer one request with. */
export type LlmReply =
  /** A model answer: an object is sent as its JSON; a string is sent as the raw text. */
  | { answer: unknown; usage?: { input: number; output: number }; finish?: string }
  /** An HTTP error in the protocol's error shape. */
  | { status: number; type: string; message: string; headers?: Record<string, string> }
  /** Never answers (a timeout). */
  | { hang: true }
  /** Answers once `reply` resolves: a call that stalls until the test lets it go. */
  | { after: Promise<LlmReply> };

export type ReplyScript = LlmReply | ((request: LlmRequest) => LlmReply);

export interface LlmStandIn {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: LlmRequest[];
  /** Queues replies for the next requests; once used up, the default (a citing digest) answers. */
  script(...replies: ReplyScript[]): void;
  close(): Promise<void>;
}

/** The messages document a request carried (the summarizer sends it as JSON in the user turn). */
// biome-ignore lint/suspicious/noExplicitAny: the document is the test's to inspect
export function documentOf(request: LlmRequest): any {
  return JSON.parse(request.userTexts[0] ?? '{}');
}

/** A digest citing the request's first messages (or, for a merge, the parts' first sources). */
export function citingAnswer(request: LlmRequest): LlmReply {
  const doc = documentOf(request);
  const ids: string[] = doc.messages
    ? doc.messages.map((m: { id: string }) => m.id)
    : doc.parts.flatMap((p: { keyPoints: { sources: string[] }[] }) => p.keyPoints.flatMap((k) => k.sources));
  const first = ids[0] ?? 'm1';
  return {
    answer: {
      title: 'Release planning',
      overview: 'The team planned the release and agreed on the rollback.',
      keyPoints: [{ text: 'The release is planned for Friday.', sources: ids.slice(0, 2) }],
      decisions: [{ text: 'Roll back the migration.', sources: [first] }],
      actionItems: [{ text: 'Fix the cache key.', owner: 'alice', sources: [ids[ids.length - 1] ?? first] }],
      openQuestions: [],
    },
    usage: { input: 120, output: 40 },
  };
}

function protocolOf(path: string): Protocol | undefined {
  if (path.endsWith('/messages')) return 'anthropic';
  if (path.endsWith('/chat/completions')) return 'openai';
  if (/\/model\/[^/]+\/converse$/.test(path)) return 'bedrock';
  return undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: request bodies of three protocols
function systemOf(protocol: Protocol, body: any): string {
  if (protocol === 'openai') {
    return body.messages
      .filter((m: { role: string }) => m.role === 'system')
      .map((m: { content: string }) => m.content)
      .join('\n');
  }
  return (body.system ?? []).map((s: { text: string }) => s.text).join('\n');
}

// biome-ignore lint/suspicious/noExplicitAny: request bodies of three protocols
function userTextsOf(body: any): string[] {
  const users = body.messages.filter((m: { role: string }) => m.role === 'user');
  return users.map((m: { content: string | { text?: string }[] }) =>
    typeof m.content === 'string' ? m.content : m.content.map((part) => part.text ?? '').join(''),
  );
}

function answerBody(protocol: Protocol, request: LlmRequest, reply: Extract<LlmReply, { answer: unknown }>) {
  const text = typeof reply.answer === 'string' ? reply.answer : JSON.stringify(reply.answer);
  const usage = reply.usage ?? { input: 100, output: 30 };
  switch (protocol) {
    case 'anthropic':
      return {
        id: 'msg_standin',
        type: 'message',
        role: 'assistant',
        model: request.body.model,
        content: [{ type: 'text', text }],
        stop_reason: reply.finish ?? 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: usage.input, output_tokens: usage.output },
      };
    case 'openai':
      return {
        id: 'chatcmpl-standin',
        object: 'chat.completion',
        created: 1_767_225_600,
        model: request.body.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: text, refusal: null },
            finish_reason: reply.finish ?? 'stop',
          },
        ],
        usage: {
          prompt_tokens: usage.input,
          completion_tokens: usage.output,
          total_tokens: usage.input + usage.output,
        },
      };
    case 'bedrock': {
      // The provider declares the schema as a forced `json` tool (or output_config): answer in kind.
      const toolName = request.body.toolConfig?.tools?.[0]?.toolSpec?.name as string | undefined;
      const content =
        toolName && typeof reply.answer !== 'string'
          ? [{ toolUse: { toolUseId: 'tooluse_standin', name: toolName, input: reply.answer } }]
          : [{ text }];
      return {
        output: { message: { role: 'assistant', content } },
        stopReason: reply.finish ?? (toolName ? 'tool_use' : 'end_turn'),
        usage: {
          inputTokens: usage.input,
          outputTokens: usage.output,
          totalTokens: usage.input + usage.output,
        },
        metrics: { latencyMs: 5 },
      };
    }
  }
}

function errorBody(protocol: Protocol, reply: Extract<LlmReply, { status: number }>) {
  switch (protocol) {
    case 'anthropic':
      return { type: 'error', error: { type: reply.type, message: reply.message } };
    case 'openai':
      return { error: { message: reply.message, type: reply.type, param: null, code: reply.type } };
    case 'bedrock':
      return { message: reply.message };
  }
}

/** Starts the stand-in on an ephemeral loopback port. */
export async function startLlmStandIn(): Promise<LlmStandIn> {
  const requests: LlmRequest[] = [];
  const queue: ReplyScript[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const protocol = protocolOf(path);
      if (req.method !== 'POST' || !protocol) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such route"}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const request: LlmRequest = {
        protocol,
        path,
        headers: req.headers,
        body,
        system: systemOf(protocol, body),
        userTexts: userTextsOf(body),
      };
      requests.push(request);
      const script = queue.shift() ?? citingAnswer;
      const answer = (reply: LlmReply): void => {
        if ('hang' in reply) return;
        if ('after' in reply) {
          void reply.after.then(answer);
          return;
        }
        if ('status' in reply) {
          const headers: Record<string, string> = { 'content-type': 'application/json', ...reply.headers };
          if (protocol === 'bedrock')
            headers['x-amzn-errortype'] = `${reply.type}:http://internal.amazon.com/`;
          res.writeHead(reply.status, headers).end(JSON.stringify(errorBody(protocol, reply)));
          return;
        }
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(answerBody(protocol, request, reply)));
      };
      answer(typeof script === 'function' ? script(request) : script);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    script: (...replies) => {
      queue.push(...replies);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
