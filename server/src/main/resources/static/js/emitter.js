// A minimal event emitter: on(type, fn) and emit(type, ...args).

export class Emitter {
  #handlers = new Map();

  on(type, handler) {
    if (!this.#handlers.has(type)) this.#handlers.set(type, []);
    this.#handlers.get(type).push(handler);
    return this;
  }

  emit(type, ...args) {
    for (const handler of this.#handlers.get(type) || []) {
      try {
        handler(...args);
      } catch (e) {
        console.error(`a '${type}' handler failed`, e);
      }
    }
  }
}
