import { useState } from 'react';
import { Image, Text, View } from '@tarojs/components';
import './index.css';

/** Soft two-stop gradients; a reward's kind or a club's theme picks one, so the same thing always looks the same. */
const TONES = [
  ['#5b8def', '#7fb0ff'], // blue
  ['#f28b30', '#ffb35c'], // orange
  ['#e0475b', '#ff7a8a'], // red
  ['#2f9e6e', '#5cc79a'], // green
  ['#8a63d2', '#b18cf0'], // purple
  ['#1f9bb0', '#54c4d6'], // teal
] as const;

const KIND_TONE: Record<string, number> = { MOBILE_TOPUP: 0, FUEL_CARD: 1, COUPON: 2, OWN_PRODUCT: 3 };

/** The palette index for a key: reward kinds have fixed colours, anything else (a club's theme) a stable hash. */
export function toneOf(key: string): number {
  const fixed = KIND_TONE[key];
  if (fixed !== undefined) return fixed;
  let h = 0;
  for (const ch of key) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return h % TONES.length;
}

/** Only addresses a mini-program may load: https, or a WeChat cloud file id. */
export function isShowableImage(src: string | null | undefined): src is string {
  return !!src && /^(https|cloud):\/\/\S+$/.test(src);
}

/**
 * A reward's or club's picture (`imageUrl`, `coverUrl`); without one — or when it fails to load — a tile in the
 * thing's own colour with the first character of its name, so a list never shows an empty grey box.
 */
export function Picture({ src, name, tone, size = 'thumb' }: { src: string | null | undefined; name: string; tone: string; size?: 'thumb' | 'banner' }) {
  const [failed, setFailed] = useState(false);
  if (isShowableImage(src) && !failed) {
    return <Image className={`picture picture--${size}`} src={src} mode='aspectFill' lazyLoad onError={() => setFailed(true)} />;
  }
  const [from, to] = TONES[toneOf(tone)] ?? TONES[0];
  return (
    <View className={`picture picture--${size} picture--placeholder`} style={{ background: `linear-gradient(135deg, ${from}, ${to})` }} aria-hidden>
      <Text className='picture__initial'>{Array.from(name.trim())[0] ?? '圈'}</Text>
    </View>
  );
}
