/** Whether the mesh is closed, and what the server found wrong with it. */
import type { ModelInfo } from '../../api/types';

export function ModelValidation({ validation }: { validation: ModelInfo['validation'] }) {
  const { watertight, issues } = validation;
  return (
    <div className="validation" data-testid="model-validation" data-watertight={String(watertight)}>
      <p className={watertight ? 'notice' : 'warning'}>
        {watertight
          ? 'The mesh is watertight: it can be cast as it is.'
          : 'The mesh is not watertight: the volume, weight and price may be off.'}
      </p>
      {issues.length > 0 && (
        <ul className="issues" data-testid="model-issues">
          {issues.map((issue, index) => (
            <li key={index} data-testid="model-issue" data-code={issue.code}>
              {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
