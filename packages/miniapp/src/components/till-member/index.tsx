import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button, Tag } from '@nutui/nutui-react-taro';
import { useStore } from '../../state/store';
import { tillMember } from '../../state/till';
import { multiplierText } from '../../utils/format';
import './index.css';

/** The empty state of a till page opened without a scanned member: back to the till to scan one. */
export function noTillMember() {
  return {
    title: '还没有识别会员',
    description: '请先在收银台扫描会员码',
    action: (
      <Button type='primary' onClick={() => void Taro.navigateBack()}>
        返回收银台
      </Button>
    ),
  };
}

/** The member in front of the till, as the scanned code showed them. */
export function TillMemberPanel() {
  const current = useStore(tillMember);
  if (!current) return null;
  const m = current.member;
  return (
    <View className='card till-member'>
      <View className='row'>
        <Text className='till-member__no'>{`会员号 ${m.memberNo}`}</Text>
        <Tag type='warning'>{m.tierName}</Tag>
      </View>
      <View className='row till-member__line'>
        <Text className='muted'>手机号</Text>
        <Text>{m.phone ?? '未绑定'}</Text>
      </View>
      <View className='row till-member__line'>
        <Text className='muted'>可用积分</Text>
        <Text className='till-member__points'>{m.points}</Text>
      </View>
      <View className='row till-member__line'>
        <Text className='muted'>等级倍率</Text>
        <Text>{multiplierText(m.tierMultiplierPct)}</Text>
      </View>
    </View>
  );
}
