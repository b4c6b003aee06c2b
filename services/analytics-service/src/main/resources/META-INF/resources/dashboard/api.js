// The analyst API as the dashboard calls it: every request carries the bearer token; the live stream is read with
// fetch() because EventSource cannot send an Authorization header.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export class Api {
  constructor(token) {
    this.token = token;
  }

  headers(accept) {
    return {Authorization: 'Bearer ' + this.token, Accept: accept};
  }

  /** GETs JSON; any other status is an ApiError carrying the problem document when there is one. */
  async json(path) {
    const response = await fetch(path, {headers: this.headers('application/json'), cache: 'no-store'});
    if (!response.ok) {
      throw new ApiError(response.status, await problemOf(response));
    }
    return response.json();
  }

  /** GETs another representation (CSV, SVG) as a Blob, with the file name the server proposes if any. */
  async blob(path, accept) {
    const response = await fetch(path, {headers: this.headers(accept), cache: 'no-store'});
    if (!response.ok) {
      throw new ApiError(response.status, await problemOf(response));
    }
    const disposition = response.headers.get('Content-Disposition') || '';
    const named = /filename="([^"]+)"/.exec(disposition);
    return {blob: await response.blob(), fileName: named ? named[1] : null};
  }

  /**
   * Follows /v1/statistics/stream until stopped, reconnecting after a pause when it ends or fails (the server ends
   * the stream of a client that falls far behind; a new connection starts with a snapshot).
   *
   * @param onEvent called with (name, data) for each event
   * @param onState called with 'live', 'reconnecting' or 'refused' (the token no longer works: no reconnect)
   */
  follow(onEvent, onState) {
    const controller = new AbortController();
    let stopped = false;
    const run = async () => {
      while (!stopped) {
        try {
          const response = await fetch('/v1/statistics/stream', {headers: this.headers('text/event-stream'),
            cache: 'no-store', signal: controller.signal});
          if (response.status === 401 || response.status === 403) {
            onState('refused', response.status);
            return;
          }
          if (!response.ok || !response.body) {
            throw new Error('HTTP ' + response.status);
          }
          onState('live');
          await readEvents(response.body, onEvent);
        } catch (e) {
          if (stopped) {
            return;
          }
        }
        if (!stopped) {
          onState('reconnecting');
          await new Promise(resolve => setTimeout(resolve, 1000));
        }
      }
    };
    run();
    return () => {
      stopped = true;
      controller.abort();
    };
  }
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch (e) {
    return null;
  }
}

/** Parses text/event-stream: events separated by a blank line, fields "event:", "id:" and "data:" (may repeat). */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) {
      return;
    }
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') {
          name = text;
        } else if (field === 'data') {
          data.push(text);
        }
      }
      if (data.length) {
        try {
          onEvent(name, JSON.parse(data.join('\n')));
        } catch (e) {
          // A malformed event is skipped; the next refresh carries the whole state again.
        }
      }
    }
  }
}
