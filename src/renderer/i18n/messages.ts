/**
 * Every text of the console, in English (the source) and Korean. A key missing from a
 * language fails to compile; `{name}` is filled in by t().
 */
export const en = {
  'app.product': 'Console',
  'app.kind.desktop': 'Desktop',
  'app.kind.web': 'Web console',
  'app.kind.title': 'How this console reaches its backend',
  'app.version.unavailable': 'version unavailable',
  'app.unreachable': 'Cannot reach the SETMOV backend: {message}',
  'app.stopped.signal':
    'The SETMOV server has stopped. Start `setmov serve` again, then reload this page.',
  'app.stopped.quit': 'SETMOV is closing.',
  'hosts.empty.title': 'No hosts yet',
  'hosts.empty.body':
    'Add a KVM host to watch its virtual desktops in real time: CPU, memory, disk and network for the host and every VM on it.',
  'hosts.loading': 'Loading hosts…',
  'hosts.failed': 'The hosts could not be loaded: {message}',
  'overview.title': 'Hosts',
  'overview.caption': 'Every saved host, live',
  'overview.col.host': 'Host',
  'overview.col.status': 'Status',
  'overview.col.cpu': 'CPU',
  'overview.col.memory': 'Memory',
  'overview.col.disk': 'Disk read / write',
  'overview.col.net': 'Network rx / tx',
  'overview.col.vms': 'VMs running / total',
  'overview.col.displays': 'Desktops connected',
  'overview.updated': 'Updated {time}',
  'overview.noSample': 'no sample yet',
  'overview.retryAt': 'next try {time}',
  'status.up': 'Up',
  'status.degraded': 'Degraded',
  'status.unreachable': 'Unreachable',
  'status.connecting': 'Connecting',
  'status.stopped': 'Stopped',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

export const ko: Messages = {
  'app.product': '콘솔',
  'app.kind.desktop': '데스크톱',
  'app.kind.web': '웹 콘솔',
  'app.kind.title': '이 콘솔이 백엔드에 연결하는 방식',
  'app.version.unavailable': '버전 정보 없음',
  'app.unreachable': 'SETMOV 백엔드에 연결할 수 없습니다: {message}',
  'app.stopped.signal':
    'SETMOV 서버가 중지되었습니다. `setmov serve`를 다시 시작한 뒤 이 페이지를 새로 고치십시오.',
  'app.stopped.quit': 'SETMOV를 종료하는 중입니다.',
  'hosts.empty.title': '등록된 호스트가 없습니다',
  'hosts.empty.body':
    'KVM 호스트를 추가하면 호스트와 모든 VM의 CPU, 메모리, 디스크, 네트워크를 실시간으로 볼 수 있습니다.',
  'hosts.loading': '호스트를 불러오는 중…',
  'hosts.failed': '호스트를 불러오지 못했습니다: {message}',
  'overview.title': '호스트',
  'overview.caption': '저장된 모든 호스트의 실시간 상태',
  'overview.col.host': '호스트',
  'overview.col.status': '상태',
  'overview.col.cpu': 'CPU',
  'overview.col.memory': '메모리',
  'overview.col.disk': '디스크 읽기 / 쓰기',
  'overview.col.net': '네트워크 수신 / 송신',
  'overview.col.vms': '실행 중 / 전체 VM',
  'overview.col.displays': '접속 중인 데스크톱',
  'overview.updated': '{time} 갱신',
  'overview.noSample': '아직 측정값 없음',
  'overview.retryAt': '다음 시도 {time}',
  'status.up': '정상',
  'status.degraded': '일부 장애',
  'status.unreachable': '연결 불가',
  'status.connecting': '연결 중',
  'status.stopped': '중지됨',
};

export const messages = { en, ko } satisfies Record<string, Messages>;
export type Language = keyof typeof messages;
