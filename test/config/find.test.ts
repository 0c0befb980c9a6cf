import {test} from 'node:test';
import assert from 'node:assert/strict';
import {chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ConfigError, findConfigFile, loadConfig} from '../../source/config/load.js';

/**
A temp tree: `home/`, `xdg/`, `project/`; removed after the test.
*/
function sandbox(t: {after(fn: () => void): void}) {
	const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'mcpd-config-')));
	t.after(() => {
rmSync(root, {recursive: true, force: true});});
	const dirs = {
		root, home: path.join(root, 'home'), xdg: path.join(root, 'xdg'), project: path.join(root, 'project'),
	};
	for (const dir of [dirs.home, dirs.xdg, dirs.project]) {
		mkdirSync(dir);
	}

	const write = (file: string, text = '') => {
		mkdirSync(path.dirname(file), {recursive: true});
		writeFileSync(file, text);
		return file;
	};

	return {...dirs, write};
}

test('search order: --config, then ./mcpd.toml, then $XDG_CONFIG_HOME/mcpd/config.toml', t => {
	const {root, home, xdg, project, write} = sandbox(t);
	const env = {HOME: home, XDG_CONFIG_HOME: xdg};
	const user = write(path.join(xdg, 'mcpd', 'config.toml'));
	assert.equal(findConfigFile({cwd: project, env}), user);

	const local = write(path.join(project, 'mcpd.toml'));
	assert.equal(findConfigFile({cwd: project, env}), local);

	const explicit = write(path.join(root, 'other.toml'));
	assert.equal(findConfigFile({explicit: '../other.toml', cwd: project, env}), explicit);
	assert.equal(findConfigFile({explicit, cwd: project, env}), explicit);
});

test('XDG_CONFIG_HOME defaults to ~/.config, and a relative one is ignored', t => {
	const {home, project, write} = sandbox(t);
	const user = write(path.join(home, '.config', 'mcpd', 'config.toml'));
	assert.equal(findConfigFile({cwd: project, env: {HOME: home}}), user);
	assert.equal(findConfigFile({cwd: project, env: {HOME: home, XDG_CONFIG_HOME: ''}}), user);
	assert.equal(findConfigFile({cwd: project, env: {HOME: home, XDG_CONFIG_HOME: 'relative'}}), user);
});

test('no config anywhere is not an error', t => {
	const {home, xdg, project} = sandbox(t);
	assert.equal(findConfigFile({cwd: project, env: {HOME: home, XDG_CONFIG_HOME: xdg}}), undefined);
});

test('a --config that does not exist is an error, even when other files exist', t => {
	const {home, project, write} = sandbox(t);
	write(path.join(project, 'mcpd.toml'));
	assert.throws(() => findConfigFile({explicit: 'nope.toml', cwd: project, env: {HOME: home}}), (error: unknown) => {
		assert.ok(error instanceof ConfigError);
		assert.equal(error.message, 'nope.toml: file not found');
		assert.equal(error.file, 'nope.toml');
		assert.equal(error.line, undefined);
		return true;
	});
});

test('loadConfig names the file relative to cwd and resolves relative paths against its directory', t => {
	const {project, write} = sandbox(t);
	const file = write(path.join(project, 'conf', 'mcpd.toml'), '[log]\nfile = "logs/mcpd.log"\n[server.fs]\ncommand = "npx"\ncwd = "data"\n[server.abs]\ncommand = "x"\ncwd = "/srv"\n');
	const config = loadConfig({file: 'conf/mcpd.toml', cwd: project, env: {}});
	assert.equal(config.source, file);
	assert.equal(config.log.file, path.join(project, 'conf', 'logs', 'mcpd.log'));
	assert.equal(config.servers[0].cwd, path.join(project, 'conf', 'data'));
	assert.equal(config.servers[1].cwd, '/srv');

	write(file, '[server.fs]\ncommand = "npx"\nargs = 1\n');
	assert.throws(() => loadConfig({file, cwd: project, env: {}}), {message: 'conf/mcpd.toml:3: server.fs.args must be an array of strings'});
	assert.throws(() => loadConfig({
		file, cwd: project, env: {}, display: 'typed.toml',
	}), {message: 'typed.toml:3: server.fs.args must be an array of strings'});
	assert.throws(() => loadConfig({file, cwd: path.join(project, 'elsewhere'), env: {}}), {message: `${file}:3: server.fs.args must be an array of strings`});
});

test('unreadable files are reported, not skipped', t => {
	const {project, write} = sandbox(t);
	mkdirSync(path.join(project, 'mcpd.toml'));
	const found = findConfigFile({cwd: project, env: {HOME: project}});
	assert.equal(found, path.join(project, 'mcpd.toml'));
	assert.throws(() => loadConfig({file: found, cwd: project, env: {}}), {message: 'mcpd.toml: is a directory, not a file'});
	assert.throws(() => loadConfig({file: 'missing.toml', cwd: project, env: {}}), {message: 'missing.toml: file not found'});

	const locked = write(path.join(project, 'locked.toml'), '');
	chmodSync(locked, 0o000);
	// Root reads anything; the check only means something for other users.
	if (process.getuid?.() !== 0) {
		assert.throws(() => loadConfig({file: locked, cwd: project, env: {}}), {message: 'locked.toml: permission denied'});
	}
});

test('a UTF-8 byte order mark is accepted', t => {
	const {project, write} = sandbox(t);
	write(path.join(project, 'mcpd.toml'), '\u{FEFF}[server.fs]\ncommand = "npx"\n');
	assert.equal(loadConfig({file: 'mcpd.toml', cwd: project, env: {}}).servers[0].command, 'npx');
});
