/**
 The request-duration histogram, kept by hand: it is fed once per relayed
 request, and prom-client's `Histogram.observe` validates and hashes its
 label object every time (a few µs, about as much as mcpd's own routing of
 the call). Here a request costs a map lookup on a joined key and a bucket
 increment; the exposition is built only when scraped, in prom-client's own
 format, so the registry prints it like any of its metrics.
 */

type Series = {
	labels: {server: string; method: string; outcome: string};
	/**
	Observations per bucket, not cumulative; the last slot is +Inf.
	*/
	counts: Float64Array;
	sum: number;
	count: number;
};

type Value = {
	metricName: string;
	labels: Record<string, string | number>;
	value: number;
};

export class DurationHistogram {
	readonly type = 'histogram';
	readonly aggregator = 'sum';
	readonly #series = new Map<string, Series>();

	constructor(readonly name: string, readonly help: string, readonly buckets: readonly number[]) {}

	observe(server: string, method: string, outcome: string, seconds: number): void {
		const key = `${server}\n${method}\n${outcome}`;
		let series = this.#series.get(key);
		if (!series) {
			series = {
				labels: {server, method, outcome}, counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0,
			};
			this.#series.set(key, series);
		}

		let index = 0;
		while (index < this.buckets.length && seconds > this.buckets[index]) {
			index++;
		}

		series.counts[index]++;
		series.sum += seconds;
		series.count++;
	}

	/**
	What prom-client's registry reads when scraped: cumulative buckets, then sum and count.
	*/
	get(): {name: string; help: string; type: string; aggregator: string; values: Value[]} {
		const values: Value[] = [];
		for (const {labels, counts, sum, count} of this.#series.values()) {
			let cumulative = 0;
			for (const [index, bound] of this.buckets.entries()) {
				cumulative += counts[index];
				values.push({metricName: `${this.name}_bucket`, labels: {le: bound, ...labels}, value: cumulative});
			}

			values.push(
				{metricName: `${this.name}_bucket`, labels: {le: '+Inf', ...labels}, value: count},
				{metricName: `${this.name}_sum`, labels, value: sum},
				{metricName: `${this.name}_count`, labels, value: count},
			);
		}

		return {
			name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values,
		};
	}

	reset(): void {
		this.#series.clear();
	}
}
