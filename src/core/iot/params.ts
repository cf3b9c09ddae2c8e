// RPC request parameters as the gateway wants them: every value a string, lists flattened to `Name.N` (1-based)
// and lists of objects to `Name.N.Field` (docs/protocols.md §11.0, §12.1). We flatten ourselves rather than leave it to
// pop-core so that `rollout --dry-run` prints exactly the parameters that are sent.

type Scalar = string | number | boolean;
export type RpcValue = Scalar | undefined | readonly Scalar[] | ReadonlyArray<Readonly<Record<string, Scalar | undefined>>>;
export type RpcParams = Readonly<Record<string, RpcValue>>;

const present = (value: Scalar | undefined): value is Scalar => value !== undefined && value !== '';

/** Drops undefined and empty values (pop-core would send the text "undefined"), stringifies and flattens the rest. */
export function wireParams(params: RpcParams): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(params)) {
		if (Array.isArray(value)) {
			(value as ReadonlyArray<Scalar | Readonly<Record<string, Scalar | undefined>>>).forEach((item, index) => {
				if (typeof item === 'object') {
					for (const [field, fieldValue] of Object.entries(item)) {
						if (present(fieldValue)) {
							out[`${key}.${index + 1}.${field}`] = String(fieldValue);
						}
					}
				} else if (present(item)) {
					out[`${key}.${index + 1}`] = String(item);
				}
			});
		} else if (present(value as Scalar | undefined)) {
			out[key] = String(value);
		}
	}
	return out;
}
