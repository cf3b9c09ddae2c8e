import { allFlags, type CommandSpec } from './args';

export function commandHelp(spec: CommandSpec): string {
	const flags = allFlags(spec).map((f) => {
		const name = `${f.short ? `-${f.short}, ` : ''}--${f.name}${f.value ? ` ${f.value}` : ''}`;
		return [name, f.description] as const;
	});
	const width = Math.max(...flags.map(([name]) => name.length));
	const lines = [
		`Usage: iot-ota ${spec.name}${spec.synopsis ? ` ${spec.synopsis}` : ''}`,
		'',
		spec.summary,
		'',
		'Flags:',
		...flags.map(([name, description]) => `  ${name.padEnd(width)}  ${description}`),
	];
	if (spec.notes?.length) {
		lines.push('', ...spec.notes);
	}
	return `${lines.join('\n')}\n`;
}

export function mainHelp(commands: readonly CommandSpec[], version: string): string {
	const width = Math.max(...commands.map((c) => c.name.length));
	return [
		`iot-ota ${version}: upload, verify, roll out and watch firmware on Alibaba Cloud IoT Platform OTA`,
		'',
		'Usage: iot-ota <command> [flags]',
		'',
		'Commands:',
		...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
		'',
		'Credentials: ALIBABA_CLOUD_ACCESS_KEY_ID + ALIBABA_CLOUD_ACCESS_KEY_SECRET (+ ALIBABA_CLOUD_SECURITY_TOKEN),',
		'or the aliyun CLI config ~/.aliyun/config.json (--profile NAME). Region: --region, ALIBABA_CLOUD_REGION_ID,',
		'the profile region, else cn-shanghai. HTTPS_PROXY / NO_PROXY are honoured.',
		'',
		'Exit codes: 0 ok, 2 usage/validation, 3 credentials, 4 remote (API/OSS/network), 128 + the signal number when',
		'cancelled (130 Ctrl+C, 143 SIGTERM, 129 SIGHUP); watching a job: 5 it ended with failed tasks, 6 the guard halted it.',
		'Run `iot-ota <command> --help` for the flags of a command.',
		'',
	].join('\n');
}

/** `iot-ota firmware --help`: the subcommands of a command group. */
export function groupHelp(group: string, commands: readonly CommandSpec[]): string {
	const members = commands.filter((c) => c.name.startsWith(`${group} `));
	const width = Math.max(...members.map((c) => c.name.length));
	return [
		`Usage: iot-ota ${group} <subcommand> [flags]`,
		'',
		'Subcommands:',
		...members.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
		'',
		`Run \`iot-ota ${group} <subcommand> --help\` for the flags of a subcommand.`,
		'',
	].join('\n');
}
