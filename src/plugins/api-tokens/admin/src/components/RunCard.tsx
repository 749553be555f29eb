import * as React from 'react';
import type { Run } from '../api/runs';
import { Card } from './Card';

interface RunCardProps {
  title: string;
  /** The region's accessible name; the title when not given. */
  label?: string;
  run: Pick<Run, 'id' | 'status'> | null;
  actions: React.ReactNode;
  testId: string;
  height?: string;
  children: React.ReactNode;
}

/** The card of one run, a live region announcing its changes and naming the run in `data-run-*` for the tests. */
export const RunCard = ({ title, label = title, run, actions, testId, height, children }: RunCardProps) => (
  <Card
    title={title}
    actions={actions}
    testId={testId}
    height={height}
    role="region"
    aria-label={label}
    aria-live="polite"
    data-run-id={run?.id}
    data-run-status={run?.status}
  >
    {children}
  </Card>
);
