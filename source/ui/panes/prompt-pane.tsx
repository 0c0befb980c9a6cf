import {Box} from 'ink';
import {AgentView, type AgentModel} from './agent-view.js';
import {PromptLine, type PromptLineProps} from './prompt-line.js';

type Props = {
	agent: AgentModel;
	height: number;
	width: number;
} & PromptLineProps;

/**
The compact layout's pane 4: the prompt line over the agent pane.
*/
export function PromptPane({height, width, agent, ...line}: Props) {
	return (
		<Box flexDirection='column' height={height} overflow='hidden'>
			<PromptLine {...line} />
			<AgentView model={agent} snapshot={line.snapshot} focused={line.focused} height={Math.max(0, height - 1)} width={width} />
		</Box>
	);
}
