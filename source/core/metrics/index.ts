export {LatencyRecorder, OTHER_METHOD, type MetricsSnapshot, type RecorderOptions, type SeriesStats, type ServerStats, type Stats} from './recorder.js';
export {MAX_MS, RELATIVE_ERROR} from './histogram.js';
