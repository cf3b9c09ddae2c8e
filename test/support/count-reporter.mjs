// A node:test reporter that writes the run's final counts as one JSON line.
export default async function* countReporter(source) {
	const counts = {};
	for await (const event of source) {
		if (event.type === 'test:diagnostic') {
			const match = /^(tests|suites|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(event.data.message);
			if (match) {
				counts[match[1]] = Number(match[2]);
			}
		}
	}
	yield `${JSON.stringify(counts)}\n`;
}
