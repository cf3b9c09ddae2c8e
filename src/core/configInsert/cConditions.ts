/**
 * Which directives of a header the compiler sees: each lies in a region that is live, dead (#if 0, the #else of
 * #if 1, #ifdef of a name #undef'd above, …) or unknown (it depends on the build: -D flags, included headers).
 * Conditions are decided from integer literals and from names defined or #undef'd earlier in the file; an #include
 * forgets what is known. Two assumptions, both documented: a header is read the first time (its include guard is
 * open), and the build does not define the macro being set itself (so `#ifndef OTA_URL` holds a default that is used).
 */
import { at, configError } from './configError';
import type { Directive } from './cSource';
import { evaluateCondition, type Known, type Tri } from './cExpression';

export type Liveness = 'live' | 'dead' | 'unknown';

export interface Region {
	state: Liveness;
	/** The innermost #if/#elif/#else that makes the region dead or unknown. */
	because?: Directive;
	/** How many conditionals enclose it (0 at the top level; the include guard counts). */
	depth: number;
}

interface Frame {
	parent: Region;
	/** Whether an earlier branch of this #if chain was taken. */
	taken: Tri;
	region: Region;
	opener: Directive;
	sawElse: boolean;
}

function not(a: Tri): Tri {
	return a === undefined ? undefined : !a;
}

function and(a: Tri, b: Tri): Tri {
	return a === false || b === false ? false : a === true && b === true ? true : undefined;
}

function or(a: Tri, b: Tri): Tri {
	return a === true || b === true ? true : a === false && b === false ? false : undefined;
}

function branch(parent: Region, taken: Tri, directive: Directive, depth: number): Region {
	if (parent.state === 'dead') {
		return { state: 'dead', because: parent.because, depth };
	}
	if (taken === false) {
		return { state: 'dead', because: directive, depth };
	}
	if (parent.state === 'unknown') {
		return { state: 'unknown', because: parent.because, depth };
	}
	return taken === true ? { state: 'live', depth } : { state: 'unknown', because: directive, depth };
}

function firstName(body: string): string {
	return /^\s*([A-Za-z_]\w*)/.exec(body)?.[1] ?? '';
}

/** The region of every directive, keyed by the directive. `target` is the macro being set. */
export function analyzeConditions(directives: readonly Directive[], target: string): Map<Directive, Region> {
	const known: Known = { names: new Map(), target, includeSeen: false };
	const guard = directives[0]?.name === 'ifndef' && directives[1]?.name === 'define' ? firstName(directives[0].body) : undefined;
	const includeGuarded = guard !== undefined && guard === firstName(directives[1]?.body ?? '');
	const regions = new Map<Directive, Region>();
	const stack: Frame[] = [];
	const top = (): Region => stack[stack.length - 1]?.region ?? { state: 'live', depth: 0 };
	const condition = (d: Directive): Tri => {
		if (d === directives[0] && includeGuarded) {
			return true;
		}
		const name = firstName(d.body);
		switch (d.name) {
			case 'ifdef':
			case 'elifdef':
				return evaluateCondition(`defined ${name}`, known);
			case 'ifndef':
			case 'elifndef':
				return not(evaluateCondition(`defined ${name}`, known));
			default:
				return evaluateCondition(d.body, known);
		}
	};
	for (const d of directives) {
		const current = top();
		regions.set(d, current);
		if (d.name === 'if' || d.name === 'ifdef' || d.name === 'ifndef') {
			const taken = condition(d);
			stack.push({ parent: current, taken, region: branch(current, taken, d, stack.length + 1), opener: d, sawElse: false });
			continue;
		}
		if (['elif', 'elifdef', 'elifndef', 'else', 'endif'].includes(d.name)) {
			const frame = stack[stack.length - 1];
			if (!frame || (frame.sawElse && d.name !== 'endif')) {
				const what = frame ? 'after #else' : 'without a matching #if';
				throw configError('ConfigSyntaxError', `Malformed C header at ${at(d.line)}: #${d.name} ${what}`, undefined, {
					code: 'c-header-malformed',
					values: { fault: frame ? 'after-else' : 'no-if', directive: d.name, line: d.line },
				});
			}
			regions.set(d, frame.parent);
			if (d.name === 'endif') {
				stack.pop();
				continue;
			}
			const cond = d.name === 'else' ? true : condition(d);
			frame.region = branch(frame.parent, and(not(frame.taken), cond), d, stack.length);
			frame.taken = or(frame.taken, cond);
			frame.sawElse = d.name === 'else';
			continue;
		}
		if (current.state === 'dead') {
			continue;
		}
		const name = firstName(d.body);
		const certain = current.state === 'live';
		if (d.name === 'define' && name) {
			const value = d.body.slice(d.body.indexOf(name) + name.length).trim();
			known.names.set(name, certain ? { defined: true, value } : { defined: undefined });
		} else if (d.name === 'undef' && name) {
			known.names.set(name, { defined: certain ? false : undefined });
		} else if (d.name === 'include' || d.name === 'include_next' || d.name === 'import') {
			known.names.clear();
			known.includeSeen = true;
		}
	}
	const open = stack[stack.length - 1];
	if (open) {
		const { name, line } = open.opener;
		throw configError('ConfigSyntaxError', `Malformed C header: the #${name} at ${at(line)} has no #endif`, undefined, {
			code: 'c-header-malformed',
			values: { fault: 'no-endif', directive: name, line },
		});
	}
	return regions;
}
