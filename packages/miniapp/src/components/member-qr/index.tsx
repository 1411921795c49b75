import { clock } from '../../utils/clock';
import { useEffect, useMemo, useState } from 'react';
import { Image, Text, View } from '@tarojs/components';
import { currentMemberCode, MEMBER_CODE_STEP_SECONDS, secondsToRotate } from '@quanzi/shared';
import { qrDataUrl } from '../../utils/qr';
import './index.css';

/** Ticks once per wall-clock second (aligned, so the code flips right at the 30 s boundary). */
function useSecondClock(): number {
  const [now, setNow] = useState(() => clock.ms());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const t = clock.ms();
      setNow(t);
      timer = setTimeout(tick, 1000 - (t % 1000));
    };
    timer = setTimeout(tick, 1000 - (clock.ms() % 1000));
    return () => clearTimeout(timer);
  }, []);
  return now;
}

/**
 * The rotating member code (PRODUCT F2): TOTP from the member's secret, computed on the phone every 30 s, so it
 * works offline and a screenshot is useless a few seconds later. Drawn as a QR image generated in JS.
 */
export function MemberQr({ memberNo, secret }: { memberNo: string; secret: string }) {
  const now = useSecondClock();
  const step = Math.floor(now / 1000 / MEMBER_CODE_STEP_SECONDS);
  // The code depends only on the time step: recompute (and redraw the QR) once per step.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const code = useMemo(() => currentMemberCode(memberNo, secret, now), [memberNo, secret, step]);
  const src = useMemo(() => qrDataUrl(code), [code]);
  const left = secondsToRotate(now);
  return (
    <View className='member-qr'>
      <Image className='member-qr__image' src={src} mode='scaleToFill' data-code={code} />
      <Text className='member-qr__code' selectable userSelect>
        {code}
      </Text>
      <Text className='member-qr__hint'>{`${left} 秒后自动刷新 · 仅限本人出示`}</Text>
    </View>
  );
}
