/** An EventSource that the test drives (pass it as `EventSource` to LinesStream). */
export class FakeEventSource extends EventTarget {
  static instances: FakeEventSource[] = [];
  readyState = 0;
  closed = false;
  constructor(readonly url: string) {
    super();
    FakeEventSource.instances.push(this);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }
  /** An event of `type`; `data` goes as it is when a string, else as JSON. */
  emit(type: string, data: unknown): void {
    this.dispatchEvent(
      new MessageEvent(type, { data: typeof data === 'string' ? data : JSON.stringify(data) }),
    );
  }
  lines(data: unknown): void {
    this.emit('lines', data);
  }
  fail(permanently: boolean): void {
    this.readyState = permanently ? 2 : 0;
    this.dispatchEvent(new Event('error'));
  }
}
