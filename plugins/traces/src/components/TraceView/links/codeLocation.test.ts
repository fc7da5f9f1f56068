import {
  codeLocationOf,
  repositoryPath,
  shortLocation,
  sourceLocationUrl,
} from './codeLocation';
import {
  describeKubernetesLocation,
  hasKubernetesTab,
  kubernetesLocationOf,
} from './kubernetesLocation';

describe('codeLocationOf', () => {
  it('reads the current semantic conventions', () => {
    expect(
      codeLocationOf({
        'code.file.path': '/app/src/orders.js',
        'code.line.number': 42,
        'code.function.name': 'OrdersController.create',
      }),
    ).toEqual({
      filePath: '/app/src/orders.js',
      line: 42,
      functionName: 'OrdersController.create',
    });
  });

  it('reads the older ones, qualifying the function with its namespace', () => {
    expect(
      codeLocationOf({
        'code.filepath': 'src/orders.py',
        'code.lineno': '17',
        'code.function': 'create',
        'code.namespace': 'shop.orders',
      }),
    ).toEqual({
      filePath: 'src/orders.py',
      line: 17,
      functionName: 'shop.orders.create',
    });
  });

  it('prefers the current keys and ignores lines that are not line numbers', () => {
    expect(
      codeLocationOf({
        'code.file.path': 'new.js',
        'code.filepath': 'old.js',
        'code.lineno': -3,
      }),
    ).toEqual({ filePath: 'new.js' });
    expect(codeLocationOf({ 'code.lineno': 3 })).toBeUndefined();
    expect(codeLocationOf({ 'http.route': '/x' })).toBeUndefined();
  });

  it('shortens to the file name and line', () => {
    expect(shortLocation({ filePath: '/a/b/orders.js', line: 4 })).toBe(
      'orders.js:4',
    );
    expect(shortLocation({ filePath: 'C:\\src\\Orders.cs' })).toBe('Orders.cs');
    expect(shortLocation({ functionName: 'f' })).toBeUndefined();
  });
});

describe('repositoryPath', () => {
  const source = sourceLocationUrl(
    'url:https://github.com/acme/shop/tree/main/services/orders/',
  )!;

  it('takes relative paths as they are', () => {
    expect(repositoryPath('./src/a.js', source)).toBe('src/a.js');
    expect(repositoryPath('src\\a.js', source)).toBe('src/a.js');
  });

  it('cuts a checkout of the source location out of an absolute path', () => {
    expect(repositoryPath('/build/work/services/orders/src/a.js', source)).toBe(
      'src/a.js',
    );
    // Only the directory the location points at in common.
    expect(repositoryPath('/srv/orders/lib/b.js', source)).toBe('lib/b.js');
  });

  it('cuts the entity’s path prefix first', () => {
    expect(repositoryPath('/app/src/a.js', source, '/app/')).toBe('src/a.js');
    expect(
      repositoryPath('/usr/lib/node/x.js', source, '/app'),
    ).toBeUndefined();
  });

  it('accepts only the url: form of the annotation', () => {
    expect(sourceLocationUrl('file:../orders')).toBeUndefined();
    expect(sourceLocationUrl('url:not a url')).toBeUndefined();
    expect(sourceLocationUrl(undefined)).toBeUndefined();
  });
});

describe('kubernetes location', () => {
  it('reads the four resource attributes', () => {
    const location = kubernetesLocationOf({
      'k8s.pod.name': 'orders-7d9',
      'k8s.namespace.name': 'shop',
      'k8s.deployment.name': 'orders',
      'k8s.cluster.name': 'eu-1',
      'service.name': 'orders-api',
    })!;
    expect(describeKubernetesLocation(location)).toBe(
      'pod orders-7d9 · namespace shop · deployment orders · cluster eu-1',
    );
    expect(kubernetesLocationOf({ 'service.name': 'x' })).toBeUndefined();
  });

  it('knows an entity with the Kubernetes plugin’s annotations', () => {
    const entity = (annotations: Record<string, string>) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'orders', annotations },
    });
    expect(
      hasKubernetesTab(entity({ 'backstage.io/kubernetes-id': 'orders' })),
    ).toBe(true);
    expect(
      hasKubernetesTab(
        entity({ 'backstage.io/kubernetes-label-selector': 'app=orders' }),
      ),
    ).toBe(true);
    expect(hasKubernetesTab(entity({}))).toBe(false);
  });
});
