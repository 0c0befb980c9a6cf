/**
 A fixed-capacity FIFO: pushing past the capacity drops the oldest item, so
 memory stays bounded however long a child keeps writing.
 */
export class RingBuffer<T> {
	/**
	 Grown as items come, up to the capacity, never allocated ahead: rings are
	 sized for the worst case (thousands of stderr lines per session) and most
	 stay empty. Until it is first full, the next free slot is always its end.
	 */
	readonly #items: Array<T | undefined> = [];
	#start = 0;
	#size = 0;

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) {
			throw new RangeError(`RingBuffer capacity must be a positive integer, got ${capacity}`);
		}
	}

	get size(): number {
		return this.#size;
	}

	/**
	Returns the item that fell out, if any.
	*/
	push(item: T): T | undefined {
		const end = (this.#start + this.#size) % this.capacity;
		if (this.#size < this.capacity) {
			this.#items[end] = item;
			this.#size++;
			return undefined;
		}

		const dropped = this.#items[this.#start];
		this.#items[this.#start] = item;
		this.#start = (this.#start + 1) % this.capacity;
		return dropped;
	}

	/**
	Removes and returns the oldest item.
	*/
	shift(): T | undefined {
		if (this.#size === 0) {
			return undefined;
		}

		const item = this.#items[this.#start];
		this.#items[this.#start] = undefined;
		this.#start = (this.#start + 1) % this.capacity;
		this.#size--;
		return item;
	}

	clear(): void {
		this.#items.length = 0;
		this.#start = 0;
		this.#size = 0;
	}

	/**
	Oldest first; a fresh array the caller may keep.
	*/
	toArray(): T[] {
		const out = new Array<T>(this.#size);
		for (let i = 0; i < this.#size; i++) {
			out[i] = this.#items[(this.#start + i) % this.capacity] as T;
		}

		return out;
	}
}
