// The bundle's entry point: the CLI on the main thread, a pool worker in a worker thread.
import './main.js';
import '../batch/worker.js';
