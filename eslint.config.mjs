import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Loaded on first use through src/core/vendor.ts (esbuild.js LAZY_VENDORS keeps them out of the activation bundle).
const lazyVendors = [
	'yaml',
	'jsonc-parser',
	'smol-toml',
	'form-data',
	'@alicloud/pop-core/lib/rpc',
	'@alicloud/pop-core',
	'https-proxy-agent',
	'busboy',
	'yauzl',
	'tar-stream',
].map((name) => ({ name, allowTypeImports: true, message: 'Loaded on first use: call its accessor in src/core/vendor.ts.' }));
const noVscode = { name: 'vscode', message: 'The core, sandbox and CLI must not depend on vscode.' };
const noTestCode = { group: ['**/test/**'], message: 'Production code holds no test machinery: tests inject what they need.' };
const setContextOnce = {
	selector: "CallExpression[callee.property.name='executeCommand'][arguments.0.value='setContext']",
	message: 'Set context keys through setContext() in src/vscode/setContext.ts.',
};
const windowSinks = {
	selector:
		"MemberExpression[object.property.name='window'][property.name=/^(show(Information|Warning|Error)Message|showQuickPick|showInputBox|createQuickPick|createInputBox|withProgress|setStatusBarMessage)$/]",
	message:
		'Prompts go through the Prompter (printablePrompter makes their text printable), status-bar text through src/vscode/statusItem.ts.',
};

export default tseslint.config(
	{ ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**'] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.ts'],
		languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
		rules: {
			curly: 'error',
			eqeqeq: 'error',
			'no-throw-literal': 'error',
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['src/**/*.ts'],
		rules: { 'no-restricted-imports': ['error', { paths: lazyVendors, patterns: [noTestCode] }] },
	},
	{
		files: ['src/**/*.ts'],
		ignores: ['src/vscode/setContext.ts'],
		rules: { 'no-restricted-syntax': ['error', setContextOnce] },
	},
	{
		// Outside text reaches the window's prompts and status bar only through the sinks that make it printable.
		files: ['src/vscode/**/*.ts'],
		ignores: ['src/vscode/setContext.ts', 'src/vscode/ui/prompter.ts', 'src/vscode/ui/steps.ts', 'src/vscode/statusItem.ts'],
		rules: { 'no-restricted-syntax': ['error', setContextOnce, windowSinks] },
	},
	{
		files: ['src/core/**/*.ts', 'src/sandbox/**/*.ts', 'src/cli.ts', 'src/cli/**/*.ts'],
		rules: { 'no-restricted-imports': ['error', { paths: [noVscode, ...lazyVendors], patterns: [noTestCode] }] },
	},
	{
		files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
		languageOptions: {
			globals: {
				require: 'readonly',
				module: 'writable',
				process: 'readonly',
				console: 'readonly',
				__dirname: 'readonly',
				setTimeout: 'readonly',
				clearTimeout: 'readonly',
				Buffer: 'readonly',
				URL: 'readonly',
			},
		},
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},
);
