/**
 * Evaluates an #if expression as far as the header alone decides it: integer literals, defined(NAME), names with a
 * known integer value, ( ) ! - + && || == != < > <= >=. Anything else (other operators, function-like macros such
 * as __has_include, names from elsewhere) makes the part it touches unknown; && and || still decide when one side does.
 */
export type Tri = boolean | undefined;

export interface Known {
	/** Names #define'd (live: defined true, with the value) or #undef'd earlier in the file; undefined = cannot tell. */
	names: Map<string, { defined: Tri; value?: string }>;
	/** The macro being set: taken as not defined by the build unless the file (or an #include) may define it. */
	target: string;
	includeSeen: boolean;
}

type Value = number | undefined;

class Unsupported extends Error {}

const TOKEN = /\s*(?:(\d[\w']*)|([A-Za-z_]\w*)|(&&|\|\||==|!=|<=|>=|[()!<>+-]))/y;

function integer(text: string): Value {
	const literal = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)[uUlLzZ]*$/.exec(text.replace(/'/g, ''))?.[1];
	if (literal === undefined) {
		return undefined;
	}
	if (/^0[bB]/.test(literal)) {
		return parseInt(literal.slice(2), 2);
	}
	return /^0\d/.test(literal) ? parseInt(literal, 8) : Number(literal);
}

export function isDefined(name: string, known: Known): Tri {
	const entry = known.names.get(name);
	if (entry) {
		return entry.defined;
	}
	return name === known.target && !known.includeSeen ? false : undefined;
}

class Parser {
	private readonly tokens: string[] = [];
	private at = 0;

	constructor(
		text: string,
		private readonly known: Known,
	) {
		let position = 0;
		for (;;) {
			TOKEN.lastIndex = position;
			const match = TOKEN.exec(text);
			if (!match) {
				break;
			}
			this.tokens.push(match[0].trim());
			position = TOKEN.lastIndex;
		}
		if (text.slice(position).trim() !== '') {
			throw new Unsupported();
		}
	}

	parse(): Value {
		const value = this.binary(0);
		if (this.at !== this.tokens.length) {
			throw new Unsupported();
		}
		return value;
	}

	private peek(): string | undefined {
		return this.tokens[this.at];
	}

	private take(expected?: string): string {
		const token = this.tokens[this.at++];
		if (token === undefined || (expected !== undefined && token !== expected)) {
			throw new Unsupported();
		}
		return token;
	}

	private static readonly LEVELS = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-']];

	private binary(level: number): Value {
		const operators = Parser.LEVELS[level];
		if (!operators) {
			return this.unary();
		}
		let left = this.binary(level + 1);
		while (operators.includes(this.peek() ?? '')) {
			const op = this.take();
			left = combine(op, left, this.binary(level + 1));
		}
		return left;
	}

	private unary(): Value {
		const token = this.take();
		if (token === '!' || token === '-' || token === '+') {
			const operand = this.unary();
			if (operand === undefined) {
				return undefined;
			}
			return token === '!' ? Number(operand === 0) : token === '-' ? -operand : operand;
		}
		if (token === '(') {
			const inner = this.binary(0);
			this.take(')');
			return inner;
		}
		if (token === 'defined') {
			const parenthesized = this.peek() === '(';
			if (parenthesized) {
				this.take('(');
			}
			const name = this.take();
			if (parenthesized) {
				this.take(')');
			}
			const defined = isDefined(name, this.known);
			return defined === undefined ? undefined : Number(defined);
		}
		if (/^\d/.test(token)) {
			const value = integer(token);
			if (value === undefined) {
				throw new Unsupported();
			}
			return value;
		}
		if (/^[A-Za-z_]/.test(token)) {
			if (this.peek() === '(') {
				throw new Unsupported();
			}
			const defined = isDefined(token, this.known);
			// An undefined name is 0 in #if; a defined one counts only when its value is an integer literal.
			return defined === false ? 0 : defined === true ? integer(this.known.names.get(token)?.value ?? '') : undefined;
		}
		throw new Unsupported();
	}
}

function combine(op: string, a: Value, b: Value): Value {
	if (op === '&&') {
		return a === 0 || b === 0 ? 0 : a === undefined || b === undefined ? undefined : 1;
	}
	if (op === '||') {
		return (a !== undefined && a !== 0) || (b !== undefined && b !== 0) ? 1 : a === 0 && b === 0 ? 0 : undefined;
	}
	if (a === undefined || b === undefined) {
		return undefined;
	}
	const results: Record<string, number> = {
		'==': Number(a === b),
		'!=': Number(a !== b),
		'<': Number(a < b),
		'>': Number(a > b),
		'<=': Number(a <= b),
		'>=': Number(a >= b),
		'+': a + b,
		'-': a - b,
	};
	return results[op];
}

/** True or false when the header decides the condition; undefined when it depends on the build. */
export function evaluateCondition(text: string, known: Known): Tri {
	try {
		const value = new Parser(text, known).parse();
		return value === undefined ? undefined : value !== 0;
	} catch (error) {
		if (error instanceof Unsupported) {
			return undefined;
		}
		throw error;
	}
}
