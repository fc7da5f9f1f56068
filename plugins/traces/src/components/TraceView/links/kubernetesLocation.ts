import type { Entity } from '@backstage/catalog-model';

/** Annotations with which the Kubernetes plugin gives an entity its Kubernetes tab. */
export const KUBERNETES_ANNOTATIONS = [
  'backstage.io/kubernetes-id',
  'backstage.io/kubernetes-label-selector',
] as const;

/** Path of the Kubernetes plugin's entity tab, in both frontend systems. */
export const KUBERNETES_TAB_PATH = '/kubernetes';

/** Where a span ran in Kubernetes, from its resource attributes. */
export interface KubernetesLocation {
  pod?: string;
  namespace?: string;
  deployment?: string;
  cluster?: string;
}

const KEYS: Record<keyof KubernetesLocation, string> = {
  pod: 'k8s.pod.name',
  namespace: 'k8s.namespace.name',
  deployment: 'k8s.deployment.name',
  cluster: 'k8s.cluster.name',
};

/** The span's Kubernetes workload, or undefined without any of the four attributes. */
export function kubernetesLocationOf(
  resourceAttributes: Record<string, unknown>,
): KubernetesLocation | undefined {
  const location: KubernetesLocation = {};
  for (const [field, key] of Object.entries(KEYS)) {
    const value = resourceAttributes[key];
    if (typeof value === 'string' && value) {
      location[field as keyof KubernetesLocation] = value;
    }
  }
  return Object.keys(location).length ? location : undefined;
}

/** `pod orders-7d9 · deployment orders · namespace shop · cluster eu-1` */
export function describeKubernetesLocation(location: KubernetesLocation) {
  return (Object.keys(KEYS) as Array<keyof KubernetesLocation>)
    .filter(field => location[field])
    .map(field => `${field} ${location[field]}`)
    .join(' · ');
}

export function hasKubernetesTab(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return KUBERNETES_ANNOTATIONS.some(name => Boolean(annotations[name]));
}
