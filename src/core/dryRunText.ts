// What every dry run shows the same way (rollout, upload; the CLI's --dry-run and the extension's Show Upload Commands):
// the opening line and the numbered calls, each followed by the command line that makes it by hand.
import type { PlannedCall } from './lifecycle/rollout';

export const DRY_RUN_OPENING = 'Dry run: nothing is changed.';

/** "  1. POST Action  Name=value …" and, indented below it, its command line. */
export function plannedCallLines<Call extends PlannedCall>(calls: readonly Call[], commandLine: (call: Call) => string): string[] {
	return calls.flatMap((call, index) => [
		`  ${index + 1}. ${call.method} ${call.action}  ${Object.entries(call.params)
			.map(([k, v]) => `${k}=${v}`)
			.join(' ')}`,
		`     ${commandLine(call)}`,
	]);
}
