/** The floor's workflows, bundled together by bench/suites/floor.ts. */
export { floorWorkflow } from './workflow';
export { floorGraphWorkflow } from './graph-workflow';
