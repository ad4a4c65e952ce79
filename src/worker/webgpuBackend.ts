/**
 * The WebGPU backend, registered with the adapter kept alive. tfjs's own factory drops its reference to the
 * GPUAdapter after creating the device; once the adapter is garbage-collected, Chromium can invalidate the
 * instance behind the device, and a later buffer read fails with "Failed to execute 'mapAsync' on 'GPUBuffer': A
 * valid external Instance reference no longer exists" (seen in the training benchmark on every run). Same
 * descriptor as tfjs's factory otherwise.
 */
import * as tf from '@tensorflow/tfjs';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

/** The adapters of created devices: never collected while the page lives. */
const adapters: GPUAdapter[] = [];

export function registerWebgpuKeepingAdapter(): void {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return;
  tf.removeBackend('webgpu');
  tf.registerBackend(
    'webgpu',
    async () => {
      const adapter = await gpu.requestAdapter({ powerPreference: tf.env().get('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance' });
      if (!adapter) throw new Error('no WebGPU adapter');
      adapters.push(adapter);
      const features = (['timestamp-query', 'bgra8unorm-storage'] as GPUFeatureName[]).filter((f) => adapter.features.has(f));
      const l = adapter.limits;
      const device = await adapter.requestDevice({
        requiredFeatures: features,
        requiredLimits: {
          maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
          maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
          maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
          maxBufferSize: l.maxBufferSize,
          maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
          maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
        },
      });
      const info = 'info' in adapter ? (adapter as GPUAdapter & { info: GPUAdapterInfo }).info : undefined;
      return new WebGPUBackend(device, info);
    },
    3,
  );
}
