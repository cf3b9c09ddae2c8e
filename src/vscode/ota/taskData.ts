// The task lists of the OTA Packages view: a job's tasks of one status (a task group), a page of ListOTATaskByJob at a
// time ("Load more…"); a group whose count changed since is read again from its first pages.
import type { LifecycleClient, OtaTask } from '../../core/lifecycle';
import { NodePages } from './nodePages';
import { LoadMoreNode, TaskNode, type OtaNode, type TaskGroupNode } from './nodes';
import { TREE_PAGE } from './refs';

/** A group whose count changed re-reads at most this many of its pages (a moving list; the rest is one click away). */
const REFETCH_PAGES = 2;

interface TaskPages {
	count: number;
	pages: number;
	total: number;
	tasks: OtaTask[];
}

export class TaskLists extends NodePages<TaskPages> {
	async tasks(group: TaskGroupNode, lifecycle: LifecycleClient): Promise<OtaNode[]> {
		const read = (currentPage: number) =>
			lifecycle.listTasksByJob({ jobId: group.parent.jobId, status: group.status, currentPage, pageSize: TREE_PAGE });
		let state = this.pages.get(group.id);
		if (state && state.count !== group.count) {
			group.pages = Math.min(group.pages, REFETCH_PAGES);
			state = undefined;
		}
		state ??= { count: group.count, pages: 0, total: group.count, tasks: [] };
		for (let page = state.pages + 1; page <= group.pages; page++) {
			const answer = await read(page);
			const seen = new Set(state.tasks.map((task) => task.taskId));
			state.tasks.push(...answer.items.filter((task) => !seen.has(task.taskId)));
			state.total = answer.total;
			state.pages = page;
			if (answer.items.length < TREE_PAGE) {
				break;
			}
		}
		this.pages.set(group.id, state);
		const nodes: OtaNode[] = state.tasks.map((task) => this.cache.reuse(new TaskNode(group, task), (n) => (n.task = task)));
		if (state.tasks.length < state.total) {
			nodes.push(new LoadMoreNode(group, state.tasks.length, state.total));
		}
		return nodes;
	}
}
