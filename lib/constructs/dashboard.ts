import { Construct } from 'constructs';
import { Lazy, TerraformStack } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { throwIfProblems } from './errors';
import { IMonitorable, MonitoredSection, MonitoringContext, Widget } from '../monitoring';

export interface PipelineDashboardProps {
  /** Dashboard name (letters, digits, `-` and `_`, at most 255). */
  readonly dashboardName: string;
  /** The concepts the pipeline is built from, in request order: each contributes its own widgets and alarms. */
  readonly sections: readonly IMonitorable[];
  readonly context: MonitoringContext;
}

/** The CloudWatch dashboard grid is 24 units wide. */
const GRID_WIDTH = 24;
/** Narrower graphs are unreadable; more sections than fit wrap to a new band below. */
const MIN_COLUMN_WIDTH = 6;
const GRAPH_HEIGHT = 6;
const HEADER_HEIGHT = 1;

/**
 * One dashboard per pipeline. Its widgets are contributed by the constructs the stack is built
 * from (each knows its own metrics), laid out along the request path left to right, one column per
 * construct, under an alarm-status strip with every alarm of the stack.
 */
export class PipelineDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  readonly sections: readonly MonitoredSection[];

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    throwIfProblems(this, [
      ...(/^[A-Za-z0-9_-]{1,255}$/.test(props.dashboardName) ? [] : [`dashboardName "${props.dashboardName}" must be 1-255 letters, digits, "-" or "_"`]),
      ...(props.sections.length === 0 ? ['sections must name at least one construct to watch'] : []),
    ]);
    this.sections = props.sections.map((s) => s.monitor(props.context));
    const stack = TerraformStack.of(this);
    this.dashboard = new CloudwatchDashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      // At synth time, so an alarm added to the stack after the dashboard is still on it.
      dashboardBody: Lazy.stringValue({
        produce: () => JSON.stringify(dashboardBody(this.sections, alarmsOf(stack, this.sections))),
      }),
    });
  }

  get name(): string {
    return this.dashboard.dashboardName;
  }
}

/** The sections' alarms in request order, then any other alarm of the stack. */
function alarmsOf(stack: TerraformStack, sections: readonly MonitoredSection[]): CloudwatchMetricAlarm[] {
  const ordered = sections.flatMap((s) => s.alarms);
  const rest = stack.node.findAll().filter((c): c is CloudwatchMetricAlarm => c instanceof CloudwatchMetricAlarm && !ordered.includes(c));
  return [...ordered, ...rest];
}

interface PlacedWidget extends Record<string, unknown> {
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Readonly<Record<string, unknown>>;
}

/**
 * The dashboard body: the alarm strip across the top, then one column per section, left to right
 * in request order, wrapping into bands when the sections do not fit the grid.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
export function dashboardBody(sections: readonly MonitoredSection[], alarms: readonly CloudwatchMetricAlarm[]): { widgets: PlacedWidget[] } {
  const widgets: PlacedWidget[] = [];
  let y = 0;
  if (alarms.length > 0) {
    const height = 2 + Math.ceil(alarms.length / 4);
    widgets.push({
      type: 'alarm',
      x: 0,
      y,
      width: GRID_WIDTH,
      height,
      properties: { title: 'Alarms', alarms: alarms.map((a) => a.arn), sortBy: 'stateUpdatedTimestamp' },
    });
    y += height;
  }
  const perBand = Math.max(1, Math.min(sections.length, Math.floor(GRID_WIDTH / MIN_COLUMN_WIDTH)));
  for (let start = 0; start < sections.length; start += perBand) {
    const band = sections.slice(start, start + perBand);
    const width = Math.floor(GRID_WIDTH / band.length);
    let bandHeight = 0;
    band.forEach((section, column) => {
      const x = column * width;
      let columnY = y;
      const place = (widget: Widget, height: number) => {
        widgets.push({ type: widget.type, x, y: columnY, width, height, properties: widget.properties });
        columnY += height;
      };
      place({ type: 'text', properties: { markdown: `### ${start + column + 1}. ${section.title}` } }, HEADER_HEIGHT);
      for (const widget of section.widgets) place(widget, widget.type === 'text' ? HEADER_HEIGHT : GRAPH_HEIGHT);
      bandHeight = Math.max(bandHeight, columnY - y);
    });
    y += bandHeight;
  }
  return { widgets };
}
