/** The value an API method returns: await it for the parsed body, or ask it for the whole response. */

/** The parsed body together with the HTTP response it came from. */
export interface WithResponse<T> {
  data: T;
  response: Response;
  status: number;
  headers: Headers;
}

/**
 * A promise of the parsed body (`await client.x.y(...)`) that also offers `.withResponse()`
 * (body, status, headers and the raw `Response`) and `.asResponse()` (the raw `Response` alone).
 * The request starts when the method is called.
 */
export class APIPromise<T> implements PromiseLike<T> {
  protected readonly result: Promise<WithResponse<T>>;

  constructor(result: Promise<WithResponse<T>>) {
    this.result = result;
  }

  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.result.then((r) => r.data).then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onfinally);
  }

  /** The parsed body with the status, headers and raw `Response`. */
  withResponse(): Promise<WithResponse<T>> {
    return this.result;
  }

  /** The raw `Response` (its body already read unless the operation streams or downloads). */
  asResponse(): Promise<Response> {
    return this.result.then((r) => r.response);
  }

  get [Symbol.toStringTag](): string {
    return "APIPromise";
  }
}
